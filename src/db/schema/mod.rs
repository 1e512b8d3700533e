//! The one schema both backends share. Written to match `migrations/sqlite` and
//! `migrations/postgres`; every test runs on both backends, so a column here that a
//! migration lacks fails there.
//! The tables are in two files to keep each readable; the joins between them are here.

mod catalogue;
mod work;

pub use catalogue::*;
pub use work::*;

diesel::joinable!(municipalities -> regions (region_id));
diesel::joinable!(profiles -> regions (region_id));
diesel::joinable!(satisfaction_items -> regions (region_id));
diesel::joinable!(intensities -> regions (region_id));
diesel::joinable!(tariffs -> profiles (profile_id));
diesel::joinable!(product_codes -> regions (region_id));
diesel::joinable!(tariffs -> intensities (intensity_id));
diesel::joinable!(admissions -> providers (provider_id));
diesel::joinable!(admissions -> regions (region_id));
diesel::joinable!(offers -> providers (provider_id));
diesel::joinable!(listing_reports -> providers (provider_id));
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
diesel::joinable!(user_identities -> users (user_id));
diesel::joinable!(agreement_signatures -> process_agreements (agreement_id));
diesel::joinable!(admission_events -> regions (region_id));
diesel::joinable!(api_tokens -> providers (provider_id));
diesel::joinable!(hulpvraag_shortlist -> hulpvragen (hulpvraag_id));
diesel::joinable!(hulpvraag_shortlist -> providers (provider_id));
diesel::joinable!(care_requests -> hulpvragen (hulpvraag_id));
diesel::joinable!(care_requests -> providers (provider_id));
diesel::joinable!(hulpvraag_events -> hulpvragen (hulpvraag_id));
diesel::joinable!(hulpvraag_goals -> hulpvragen (hulpvraag_id));
diesel::joinable!(hulpvraag_shifts -> hulpvragen (hulpvraag_id));
diesel::joinable!(hulpvragen -> profiles (profile_id));
diesel::joinable!(hulpvragen -> municipalities (municipality_id));
diesel::joinable!(experience_answers -> experience_responses (response_id));

diesel::allow_tables_to_appear_in_same_query!(
    regions,
    ijw_received,
    product_codes,
    listing_reports,
    funnels,
    funnels_stale,
    funnels_changes,
    monitor_figures,
    monitor_stale,
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
    execution_agreements,
    execution_reminders,
    audit_log,
    api_tokens,
    trajectories,
    pending_uploads,
    computed_scores,
    published_scores,
    hulpvragen,
    hulpvraag_shortlist,
    hulpvraag_goals,
    hulpvraag_shifts,
    care_requests,
    hulpvraag_events,
    experience_responses,
    experience_answers,
    revoked_sessions,
    jobs,
    sign_in_attempts,
    user_identities,
    access_requests,
);
