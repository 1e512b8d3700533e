//! The tables of accounts, trajectories, hulpvragen, mail, audit and jobs.

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
        goals_agreed -> Nullable<Integer>,
        goals_reached -> Nullable<Integer>,
        goals_partly -> Nullable<Integer>,
        without_care -> Nullable<Text>,
        problems_smaller -> Nullable<Text>,
        toewijzing -> Nullable<Text>,
        product_category -> Nullable<Text>,
    }
}

diesel::table! {
    ijw_received (id) {
        id -> BigInt,
        provider_id -> BigInt,
        message_code -> Integer,
        message_id -> Text,
        line_key -> Text,
        received_at -> Timestamp,
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
        goals_confirmed_at -> Nullable<Timestamp>,
        guarantee -> Nullable<Text>,
        guarantee_trajectory_id -> Nullable<BigInt>,
        guarantee_reason -> Text,
        toewijzing -> Nullable<Text>,
    }
}

diesel::table! {
    hulpvraag_shifts (id) {
        id -> BigInt,
        hulpvraag_id -> BigInt,
        on_date -> Date,
        from_profile_id -> BigInt,
        from_intensity_id -> BigInt,
        to_profile_id -> BigInt,
        to_intensity_id -> BigInt,
        reason -> Text,
        recorded_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    hulpvraag_goals (hulpvraag_id, position) {
        hulpvraag_id -> BigInt,
        position -> Integer,
        text -> Text,
        result -> Nullable<Text>,
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

diesel::table! {
    sign_in_attempts (state_hash) {
        state_hash -> Text,
        kind -> Text,
        return_to -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    user_identities (issuer, subject) {
        issuer -> Text,
        subject -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    access_requests (id) {
        id -> BigInt,
        issuer -> Text,
        subject -> Text,
        email -> Text,
        email_verified -> Bool,
        name -> Text,
        requested_at -> Timestamp,
    }
}

diesel::table! {
    monitor_figures (municipality_id, region_id, quarter, figure, breakdown, item) {
        region_id -> BigInt,
        municipality_id -> BigInt,
        quarter -> Text,
        figure -> Text,
        breakdown -> Text,
        item -> Text,
        count -> BigInt,
        part -> Nullable<BigInt>,
        value -> Nullable<Double>,
    }
}

diesel::table! {
    monitor_stale (region_id) {
        region_id -> BigInt,
        generation -> BigInt,
        done_generation -> BigInt,
        computed_on -> Nullable<Date>,
        computed_at -> Nullable<Timestamp>,
    }
}
