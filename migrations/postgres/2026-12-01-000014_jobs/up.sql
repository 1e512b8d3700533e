-- The background jobs of every node, as rows: a job is claimed by one node at a time (a lease
-- in locked_until, taken with FOR UPDATE SKIP LOCKED), done once, and the next run is a new
-- row. One pending row per kind.
CREATE TABLE jobs (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    run_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    done_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX jobs_one_pending_per_kind ON jobs (kind) WHERE done_at IS NULL;
CREATE INDEX jobs_due ON jobs (run_at) WHERE done_at IS NULL;
