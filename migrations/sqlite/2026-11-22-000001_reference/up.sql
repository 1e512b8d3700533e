-- Reference data per region: the region's procurement method, its municipalities,
-- cliëntprofielen, intensiteiten and tariffs are data, not code.
CREATE TABLE regions (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    procurement_method TEXT NOT NULL
        CHECK (procurement_method IN ('outputgericht', 'inspanningsgericht', 'taakgericht'))
);

CREATE TABLE municipalities (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);
CREATE INDEX municipalities_region ON municipalities (region_id);

CREATE TABLE profiles (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    number INTEGER NOT NULL CHECK (number BETWEEN 1 AND 99),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    UNIQUE (region_id, number),
    UNIQUE (id, region_id)
);

CREATE TABLE intensities (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    paid_per TEXT NOT NULL CHECK (paid_per IN ('traject', 'vier_weken')),
    sort_order INTEGER NOT NULL,
    UNIQUE (region_id, code),
    UNIQUE (id, region_id)
);

-- Amounts in euro cents; valid_until is inclusive and empty while the tariff holds.
CREATE TABLE tariffs (
    id INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL REFERENCES profiles (id),
    intensity_id INTEGER NOT NULL REFERENCES intensities (id),
    amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
    valid_from DATE NOT NULL,
    valid_until DATE,
    UNIQUE (profile_id, intensity_id, valid_from),
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);

-- National code lists: reasons a trajectory ended (CBS beleidsinformatie jeugd, with the
-- iJw JZ588 code providers' systems use) and the client-experience items.
CREATE TABLE end_reasons (
    cbs_code INTEGER PRIMARY KEY CHECK (cbs_code BETWEEN 1 AND 9),
    ijw_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    counts_as TEXT NOT NULL CHECK (counts_as IN ('completed', 'dropout'))
);

CREATE TABLE satisfaction_items (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    sort_order INTEGER NOT NULL
);

CREATE TABLE app_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
