-- A change of profile or intensity during care ("verschuivingen in profielen en
-- intensiteiten worden met de casusmanager besproken"): the worker records it with its date
-- and reason, the provider confirms; only then does the hulpvraag take the new profile and
-- intensity, under which its outcome counts. The tariff follows the change date.
CREATE TABLE hulpvraag_shifts (
    id INTEGER PRIMARY KEY,
    hulpvraag_id INTEGER NOT NULL REFERENCES hulpvragen (id) ON DELETE CASCADE,
    on_date DATE NOT NULL,
    from_profile_id INTEGER NOT NULL REFERENCES profiles (id),
    from_intensity_id INTEGER NOT NULL REFERENCES intensities (id),
    to_profile_id INTEGER NOT NULL REFERENCES profiles (id),
    to_intensity_id INTEGER NOT NULL REFERENCES intensities (id),
    reason TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP
);
CREATE INDEX hulpvraag_shifts_hulpvraag ON hulpvraag_shifts (hulpvraag_id, on_date);
