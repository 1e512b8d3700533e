//! The one schema both backends share. Written to match `migrations/sqlite` and
//! `migrations/postgres`; `tests/schema.rs` checks that every table here loads on each backend.

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
        doel_value -> Nullable<Double>,
        doel_low -> Nullable<Double>,
        doel_high -> Nullable<Double>,
        doel_extra -> Nullable<Double>,
        uitval_n -> Integer,
        uitval_hits -> Integer,
        uitval_value -> Nullable<Double>,
        uitval_low -> Nullable<Double>,
        uitval_high -> Nullable<Double>,
        uitval_extra -> Nullable<Double>,
        terugval_n -> Integer,
        terugval_hits -> Integer,
        terugval_value -> Nullable<Double>,
        terugval_low -> Nullable<Double>,
        terugval_high -> Nullable<Double>,
        terugval_extra -> Nullable<Double>,
        tevreden_n -> Integer,
        tevreden_hits -> Integer,
        tevreden_value -> Nullable<Double>,
        tevreden_low -> Nullable<Double>,
        tevreden_high -> Nullable<Double>,
        tevreden_extra -> Nullable<Double>,
        computed_at -> Timestamp,
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
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        role -> Text,
        provider_id -> Nullable<BigInt>,
        municipality_id -> Nullable<BigInt>,
        region_id -> Nullable<BigInt>,
        email_verified_at -> Nullable<Timestamp>,
        token_version -> Integer,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_sign_in_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> BigInt,
        email -> Text,
        ip -> Text,
        succeeded -> Bool,
        at -> Timestamp,
    }
}

diesel::table! {
    one_time_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> BigInt,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        forget_after_send -> Bool,
        held_for_user -> Nullable<BigInt>,
    }
}

diesel::table! {
    agreement_signatures (id) {
        id -> BigInt,
        provider_id -> BigInt,
        agreement_id -> BigInt,
        user_id -> Nullable<BigInt>,
        signer_name -> Text,
        declarations -> Text,
        signed_at -> Timestamp,
    }
}

diesel::table! {
    admission_events (id) {
        id -> BigInt,
        provider_id -> BigInt,
        region_id -> BigInt,
        status -> Text,
        reason -> Text,
        effective_on -> Date,
        user_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        action -> Text,
        entity -> Text,
        entity_id -> Nullable<BigInt>,
        field -> Text,
        old_value -> Nullable<Text>,
        new_value -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        provider_id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    trajectories (id) {
        id -> BigInt,
        provider_id -> BigInt,
        reference -> Text,
        region_id -> BigInt,
        municipality_id -> BigInt,
        profile_id -> BigInt,
        intensity_id -> BigInt,
        start_date -> Date,
        end_date -> Nullable<Date>,
        end_reason -> Nullable<Integer>,
        goal_result -> Text,
        client_key -> Text,
        age_band -> Text,
        kader -> Text,
        satisfaction -> Nullable<Integer>,
        source -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    pending_uploads (id) {
        id -> BigInt,
        provider_id -> BigInt,
        user_id -> BigInt,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    hulpvragen (id) {
        id -> BigInt,
        region_id -> BigInt,
        municipality_id -> BigInt,
        profile_id -> BigInt,
        intensity_id -> BigInt,
        kader -> Text,
        age_band -> Text,
        case_number -> Text,
        notes -> Text,
        worker_id -> BigInt,
        status -> Text,
        provider_id -> Nullable<BigInt>,
        family_token_hash -> Nullable<Text>,
        family_token_expires_at -> Nullable<Timestamp>,
        help_asked_at -> Nullable<Timestamp>,
        started_on -> Nullable<Date>,
        ended_on -> Nullable<Date>,
        trajectory_id -> Nullable<BigInt>,
        experience_token_hash -> Nullable<Text>,
        experience_expires_at -> Nullable<Timestamp>,
        experience_answered_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        family_code_nonce -> Nullable<Text>,
    }
}

diesel::table! {
    hulpvraag_shortlist (hulpvraag_id, provider_id) {
        hulpvraag_id -> BigInt,
        provider_id -> BigInt,
        added_at -> Timestamp,
    }
}

diesel::table! {
    care_requests (id) {
        id -> BigInt,
        hulpvraag_id -> BigInt,
        provider_id -> BigInt,
        chosen_by -> Text,
        chosen_at -> Timestamp,
        answer -> Text,
        answered_at -> Nullable<Timestamp>,
        expected_start -> Nullable<Date>,
        decline_reason -> Nullable<Text>,
        decline_note -> Text,
        started_on -> Nullable<Date>,
    }
}

diesel::table! {
    hulpvraag_events (id) {
        id -> BigInt,
        hulpvraag_id -> BigInt,
        at -> Timestamp,
        actor -> Text,
        kind -> Text,
        provider_id -> Nullable<BigInt>,
        detail -> Text,
    }
}

diesel::table! {
    experience_responses (id) {
        id -> BigInt,
        provider_id -> BigInt,
        region_id -> BigInt,
        profile_id -> BigInt,
        kader -> Text,
        responded_on -> Date,
        remark -> Text,
    }
}

diesel::table! {
    experience_answers (response_id, item_code) {
        response_id -> BigInt,
        item_code -> Text,
        score -> Integer,
    }
}

diesel::table! {
    jobs (id) {
        id -> BigInt,
        kind -> Text,
        run_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        done_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    revoked_sessions (sid) {
        sid -> Text,
        expires_at -> Timestamp,
    }
}

diesel::joinable!(municipalities -> regions (region_id));
diesel::joinable!(profiles -> regions (region_id));
diesel::joinable!(intensities -> regions (region_id));
diesel::joinable!(tariffs -> profiles (profile_id));
diesel::joinable!(tariffs -> intensities (intensity_id));
diesel::joinable!(admissions -> providers (provider_id));
diesel::joinable!(admissions -> regions (region_id));
diesel::joinable!(offers -> providers (provider_id));
diesel::joinable!(offers -> profiles (profile_id));
diesel::joinable!(offers -> intensities (intensity_id));
diesel::joinable!(offer_municipalities -> offers (offer_id));
diesel::joinable!(offer_municipalities -> municipalities (municipality_id));
diesel::joinable!(catalogue_entries -> providers (provider_id));
diesel::joinable!(catalogue_entries -> offers (offer_id));
diesel::joinable!(process_agreements -> regions (region_id));
diesel::joinable!(score_reports -> providers (provider_id));
diesel::joinable!(score_reports -> reference_snapshots (reference_snapshot_id));
diesel::joinable!(scores -> score_reports (report_id));
diesel::joinable!(scores -> profiles (profile_id));
diesel::joinable!(users -> providers (provider_id));
diesel::joinable!(trajectories -> providers (provider_id));
diesel::joinable!(computed_scores -> providers (provider_id));
diesel::joinable!(one_time_tokens -> users (user_id));
diesel::joinable!(agreement_signatures -> process_agreements (agreement_id));
diesel::joinable!(admission_events -> regions (region_id));
diesel::joinable!(api_tokens -> providers (provider_id));
diesel::joinable!(hulpvraag_shortlist -> hulpvragen (hulpvraag_id));
diesel::joinable!(hulpvraag_shortlist -> providers (provider_id));
diesel::joinable!(care_requests -> hulpvragen (hulpvraag_id));
diesel::joinable!(care_requests -> providers (provider_id));
diesel::joinable!(hulpvraag_events -> hulpvragen (hulpvraag_id));
diesel::joinable!(hulpvragen -> profiles (profile_id));
diesel::joinable!(hulpvragen -> municipalities (municipality_id));
diesel::joinable!(experience_answers -> experience_responses (response_id));

diesel::allow_tables_to_appear_in_same_query!(
    regions,
    funnels,
    funnels_stale,
    municipalities,
    profiles,
    intensities,
    tariffs,
    end_reasons,
    satisfaction_items,
    app_settings,
    providers,
    admissions,
    offers,
    offer_municipalities,
    catalogue_entries,
    process_agreements,
    score_reports,
    reference_snapshots,
    scores,
    users,
    login_attempts,
    one_time_tokens,
    mail_outbox,
    agreement_signatures,
    admission_events,
    audit_log,
    api_tokens,
    trajectories,
    pending_uploads,
    computed_scores,
    published_scores,
    hulpvragen,
    hulpvraag_shortlist,
    care_requests,
    hulpvraag_events,
    experience_responses,
    experience_answers,
    revoked_sessions,
    jobs,
);
