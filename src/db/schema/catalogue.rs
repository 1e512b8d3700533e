//! The tables of reference data, providers, their offers, agreements and scores.

diesel::table! {
    regions (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        procurement_method -> Text,
    }
}

diesel::table! {
    municipalities (id) {
        id -> BigInt,
        region_id -> BigInt,
        slug -> Text,
        name -> Text,
        cbs_code -> Text,
        merged_into_id -> Nullable<BigInt>,
        merged_on -> Nullable<Date>,
        moves_to_region_id -> Nullable<BigInt>,
        moves_on -> Nullable<Date>,
    }
}

diesel::table! {
    profiles (id) {
        id -> BigInt,
        region_id -> BigInt,
        number -> Integer,
        name -> Text,
        description -> Text,
        closed_from -> Nullable<Date>,
    }
}

diesel::table! {
    intensities (id) {
        id -> BigInt,
        region_id -> BigInt,
        code -> Text,
        name -> Text,
        description -> Text,
        paid_per -> Text,
        sort_order -> Integer,
        closed_from -> Nullable<Date>,
    }
}

diesel::table! {
    tariffs (id) {
        id -> BigInt,
        profile_id -> BigInt,
        intensity_id -> BigInt,
        amount_cents -> BigInt,
        valid_from -> Date,
        valid_until -> Nullable<Date>,
        fictional -> Bool,
    }
}

diesel::table! {
    end_reasons (cbs_code) {
        cbs_code -> Integer,
        ijw_code -> Text,
        name -> Text,
        counts_as -> Text,
    }
}

diesel::table! {
    satisfaction_items (id) {
        id -> BigInt,
        region_id -> BigInt,
        code -> Text,
        name -> Text,
        question -> Text,
        sort_order -> Integer,
        closed_from -> Nullable<Date>,
    }
}

diesel::table! {
    app_settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    providers (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        kvk_number -> Text,
        agb_code -> Text,
        description -> Text,
        approach -> Text,
        partners -> Text,
        website -> Nullable<Text>,
        email -> Text,
        phone -> Nullable<Text>,
        street -> Text,
        postal_code -> Text,
        city -> Text,
        verlengde_jeugdhulp -> Bool,
        status -> Text,
        in_catalogue -> Bool,
        search_text -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        listing_checked_at -> Timestamp,
        listing_reminded_at -> Nullable<Timestamp>,
        waiting_reminded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    admissions (id) {
        id -> BigInt,
        provider_id -> BigInt,
        region_id -> BigInt,
        status -> Text,
        admitted_on -> Nullable<Date>,
        ends_on -> Nullable<Date>,
        updated_at -> Timestamp,
        reminder_sent_on -> Nullable<Date>,
    }
}

diesel::table! {
    offers (id) {
        id -> BigInt,
        provider_id -> BigInt,
        region_id -> BigInt,
        profile_id -> BigInt,
        intensity_id -> BigInt,
        min_age -> Integer,
        max_age -> Integer,
        setting -> Text,
        languages -> Text,
        waiting_weeks -> Integer,
        accepts_new_clients -> Bool,
        updated_at -> Timestamp,
        waiting_checked_at -> Timestamp,
    }
}

diesel::table! {
    offer_municipalities (offer_id, municipality_id) {
        offer_id -> BigInt,
        municipality_id -> BigInt,
    }
}

diesel::table! {
    catalogue_entries (municipality_id, profile_id, provider_id, intensity_id) {
        municipality_id -> BigInt,
        profile_id -> BigInt,
        intensity_id -> BigInt,
        provider_id -> BigInt,
        offer_id -> BigInt,
    }
}

diesel::table! {
    process_agreements (id) {
        id -> BigInt,
        region_id -> BigInt,
        version -> Integer,
        title -> Text,
        body -> Text,
        effective_from -> Date,
        created_at -> Timestamp,
        requirements -> Text,
    }
}

diesel::table! {
    score_reports (id) {
        id -> BigInt,
        provider_id -> BigInt,
        region_id -> BigInt,
        period -> Text,
        version -> Integer,
        status -> Text,
        published_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        comment -> Text,
        correction_reason -> Text,
        submitted_at -> Nullable<Timestamp>,
        decided_by -> Nullable<BigInt>,
        reference_snapshot_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    reference_snapshots (id) {
        id -> BigInt,
        region_id -> BigInt,
        hash -> Text,
        body -> Text,
        taken_at -> Timestamp,
    }
}

diesel::table! {
    scores (id) {
        id -> BigInt,
        report_id -> BigInt,
        profile_id -> BigInt,
        indicator -> Text,
        n -> Integer,
        value -> Nullable<Double>,
        interval_low -> Nullable<Double>,
        interval_high -> Nullable<Double>,
        explanation -> Text,
        hits -> Integer,
        extra -> Nullable<Double>,
        average -> Nullable<Double>,
        source -> Text,
        target -> Nullable<Double>,
        funnel_lower_95 -> Nullable<Double>,
        funnel_upper_95 -> Nullable<Double>,
        funnel_lower_998 -> Nullable<Double>,
        funnel_upper_998 -> Nullable<Double>,
        tau2 -> Nullable<Double>,
        phi -> Nullable<Double>,
        shrunk_value -> Nullable<Double>,
        comparison -> Nullable<Text>,
        forced_n -> Nullable<Integer>,
        voluntary_value -> Nullable<Double>,
        expected -> Nullable<Double>,
    }
}

diesel::table! {
    published_scores (profile_id, indicator, provider_id) {
        provider_id -> BigInt,
        profile_id -> BigInt,
        indicator -> Text,
        value -> Nullable<Double>,
        n -> Integer,
        shrunk_value -> Nullable<Double>,
        comparison -> Nullable<Text>,
    }
}

diesel::table! {
    catalogue_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    computed_scores (provider_id, profile_id, period, span) {
        provider_id -> BigInt,
        region_id -> BigInt,
        profile_id -> BigInt,
        period -> Text,
        span -> Text,
        doel_n -> Integer,
        doel_hits -> Integer,
        doel_extra -> Nullable<Double>,
        uitval_n -> Integer,
        uitval_hits -> Integer,
        uitval_extra -> Nullable<Double>,
        terugval_n -> Integer,
        terugval_hits -> Integer,
        terugval_extra -> Nullable<Double>,
        tevreden_n -> Integer,
        tevreden_hits -> Integer,
        tevreden_value -> Nullable<Double>,
        tevreden_low -> Nullable<Double>,
        tevreden_high -> Nullable<Double>,
        tevreden_extra -> Nullable<Double>,
        computed_at -> Timestamp,
        zonder_hulp_n -> Integer,
        zonder_hulp_hits -> Integer,
        zonder_hulp_extra -> Nullable<Double>,
        problemen_n -> Integer,
        problemen_hits -> Integer,
        problemen_extra -> Nullable<Double>,
        doel_forced_n -> Integer,
        doel_forced_sum -> Integer,
        zonder_hulp_forced_n -> Integer,
        zonder_hulp_forced_sum -> Integer,
        problemen_forced_n -> Integer,
        problemen_forced_sum -> Integer,
        uitval_forced_n -> Integer,
        uitval_forced_sum -> Integer,
        terugval_forced_n -> Integer,
        terugval_forced_sum -> Integer,
        tevreden_forced_n -> Integer,
        tevreden_forced_sum -> Integer,
    }
}

diesel::table! {
    funnels (region_id, profile_id, period, span, indicator) {
        region_id -> BigInt,
        profile_id -> BigInt,
        period -> Text,
        span -> Text,
        indicator -> Text,
        target -> Nullable<Double>,
        providers -> Integer,
        phi -> Nullable<Double>,
        tau2 -> Double,
        pooled_variance -> Nullable<Double>,
        target_voluntary -> Nullable<Double>,
        target_forced -> Nullable<Double>,
        forced_share -> Nullable<Double>,
    }
}

diesel::table! {
    funnels_changes (region_id, profile_id, generation) {
        region_id -> BigInt,
        profile_id -> BigInt,
        generation -> BigInt,
        provider_id -> BigInt,
    }
}

diesel::table! {
    funnels_stale (region_id, profile_id) {
        region_id -> BigInt,
        profile_id -> BigInt,
        generation -> BigInt,
        done_generation -> BigInt,
    }
}

diesel::table! {
    execution_agreements (provider_id, region_id, year) {
        provider_id -> BigInt,
        region_id -> BigInt,
        year -> Integer,
        granted_by -> Nullable<BigInt>,
        granted_at -> Timestamp,
    }
}

diesel::table! {
    execution_reminders (provider_id, region_id, year) {
        provider_id -> BigInt,
        region_id -> BigInt,
        year -> Integer,
        sent_on -> Date,
    }
}

diesel::table! {
    score_recomputations (reason) {
        reason -> Text,
    }
}

diesel::table! {
    listing_reports (id) {
        id -> BigInt,
        provider_id -> BigInt,
        topic -> Text,
        message -> Text,
        receipt_hash -> Text,
        created_at -> Timestamp,
        answer -> Nullable<Text>,
        fixed -> Bool,
        answered_at -> Nullable<Timestamp>,
        answered_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    product_codes (id) {
        id -> BigInt,
        region_id -> BigInt,
        code -> Text,
        profile_id -> BigInt,
        intensity_id -> BigInt,
    }
}
