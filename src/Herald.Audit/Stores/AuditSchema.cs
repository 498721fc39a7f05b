namespace Herald.Audit.Stores;

/// <summary>One numbered step of the audit schema, written once per backend.</summary>
internal sealed record AuditMigration(int Version, string Description, string Sqlite, string Postgres);

/// <summary>
/// The audit schema as numbered migrations. Both backends have the same tables and columns; the SQL
/// differs only in types: ids are uuid on PostgreSQL and canonical lowercase text on SQLite, times are
/// timestamptz on PostgreSQL and fixed-width UTC text (microseconds, so text order is time order) on
/// SQLite. Never edit a shipped migration; add the next one.
/// </summary>
internal static class AuditSchema
{
    public const string VersionTable = "schema_version";

    public static readonly IReadOnlyList<AuditMigration> Migrations =
    [
        new(1, "audit records, their card ids and card feedback",
            Sqlite: """
                CREATE TABLE audit_record (
                    id            TEXT    NOT NULL PRIMARY KEY,
                    time          TEXT    NOT NULL,
                    caller        TEXT    NOT NULL,
                    service       TEXT    NOT NULL,
                    hook          TEXT    NULL,
                    hook_instance TEXT    NULL,
                    patient_id    TEXT    NULL,
                    edition       TEXT    NULL,
                    input_digest  TEXT    NOT NULL,
                    output        TEXT    NOT NULL,
                    latency_ms    REAL    NOT NULL,
                    status        INTEGER NOT NULL
                );
                CREATE TABLE audit_card (
                    audit_id TEXT    NOT NULL REFERENCES audit_record (id),
                    position INTEGER NOT NULL,
                    card_id  TEXT    NOT NULL,
                    PRIMARY KEY (audit_id, position)
                );
                CREATE TABLE audit_feedback (
                    id                      TEXT NOT NULL PRIMARY KEY,
                    audit_id                TEXT NOT NULL REFERENCES audit_record (id),
                    caller                  TEXT NOT NULL,
                    service                 TEXT NOT NULL,
                    card_id                 TEXT NOT NULL,
                    outcome                 TEXT NOT NULL,
                    override_reason_code    TEXT NULL,
                    override_reason_system  TEXT NULL,
                    override_reason_display TEXT NULL,
                    user_comment            TEXT NULL,
                    accepted_suggestions    TEXT NOT NULL,
                    outcome_time            TEXT NULL,
                    received_at             TEXT NOT NULL
                );
                """,
            Postgres: """
                CREATE TABLE audit_record (
                    id            uuid             NOT NULL PRIMARY KEY,
                    time          timestamptz      NOT NULL,
                    caller        text             NOT NULL,
                    service       text             NOT NULL,
                    hook          text             NULL,
                    hook_instance text             NULL,
                    patient_id    text             NULL,
                    edition       text             NULL,
                    input_digest  text             NOT NULL,
                    output        text             NOT NULL,
                    latency_ms    double precision NOT NULL,
                    status        integer          NOT NULL
                );
                CREATE TABLE audit_card (
                    audit_id uuid    NOT NULL REFERENCES audit_record (id),
                    position integer NOT NULL,
                    card_id  text    NOT NULL,
                    PRIMARY KEY (audit_id, position)
                );
                CREATE TABLE audit_feedback (
                    id                      uuid        NOT NULL PRIMARY KEY,
                    audit_id                uuid        NOT NULL REFERENCES audit_record (id),
                    caller                  text        NOT NULL,
                    service                 text        NOT NULL,
                    card_id                 text        NOT NULL,
                    outcome                 text        NOT NULL,
                    override_reason_code    text        NULL,
                    override_reason_system  text        NULL,
                    override_reason_display text        NULL,
                    user_comment            text        NULL,
                    accepted_suggestions    text        NOT NULL,
                    outcome_time            timestamptz NULL,
                    received_at             timestamptz NOT NULL
                );
                """),
        new(2, "indexes for a caller's queries and for finding a card's record",
            Sqlite: """
                CREATE INDEX audit_record_caller_time ON audit_record (caller, time);
                CREATE INDEX audit_card_card_id ON audit_card (card_id);
                CREATE INDEX audit_feedback_audit_id ON audit_feedback (audit_id);
                """,
            Postgres: """
                CREATE INDEX audit_record_caller_time ON audit_record (caller, time);
                CREATE INDEX audit_card_card_id ON audit_card (card_id);
                CREATE INDEX audit_feedback_audit_id ON audit_feedback (audit_id);
                """),
        new(3, "records keep the answer's digest, its summary, the knowledge-base version and the compressed input instead of the whole answer; earlier answers move to audit_legacy_output",
            Sqlite: """
                ALTER TABLE audit_record ADD COLUMN knowledge_base_version TEXT NULL;
                ALTER TABLE audit_record ADD COLUMN output_digest TEXT NULL;
                ALTER TABLE audit_record ADD COLUMN summary TEXT NULL;
                ALTER TABLE audit_record ADD COLUMN input BLOB NULL;
                CREATE TABLE audit_legacy_output (
                    audit_id TEXT NOT NULL PRIMARY KEY REFERENCES audit_record (id),
                    output   TEXT NOT NULL
                );
                INSERT INTO audit_legacy_output (audit_id, output) SELECT id, output FROM audit_record;
                ALTER TABLE audit_record DROP COLUMN output;
                """,
            Postgres: """
                ALTER TABLE audit_record ADD COLUMN knowledge_base_version text NULL;
                ALTER TABLE audit_record ADD COLUMN output_digest text NULL;
                ALTER TABLE audit_record ADD COLUMN summary text NULL;
                ALTER TABLE audit_record ADD COLUMN input bytea NULL;
                CREATE TABLE audit_legacy_output (
                    audit_id uuid NOT NULL PRIMARY KEY REFERENCES audit_record (id),
                    output   text NOT NULL
                );
                INSERT INTO audit_legacy_output (audit_id, output) SELECT id, output FROM audit_record;
                ALTER TABLE audit_record DROP COLUMN output;
                """),
        new(4, "single-use CDS Hooks token ids (jti), shared by replicas over one database",
            Sqlite: """
                CREATE TABLE jti_replay (
                    issuer         TEXT NOT NULL,
                    jti_sha256     BLOB NOT NULL,
                    remember_until TEXT NOT NULL,
                    PRIMARY KEY (issuer, jti_sha256)
                );
                CREATE INDEX jti_replay_remember_until ON jti_replay (remember_until);
                """,
            Postgres: """
                CREATE TABLE jti_replay (
                    issuer         text        NOT NULL,
                    jti_sha256     bytea       NOT NULL,
                    remember_until timestamptz NOT NULL,
                    PRIMARY KEY (issuer, jti_sha256)
                );
                CREATE INDEX jti_replay_remember_until ON jti_replay (remember_until);
                """),
        new(5, "a record keeps its card ids in its own row (cards), found by the prefix one answer's card ids share (card_prefix); audit_card keeps earlier records' cards and cards that share no prefix",
            Sqlite: """
                ALTER TABLE audit_record ADD COLUMN cards TEXT NULL;
                ALTER TABLE audit_record ADD COLUMN card_prefix INTEGER NULL;
                CREATE INDEX audit_record_card_prefix ON audit_record (card_prefix) WHERE card_prefix IS NOT NULL;
                """,
            Postgres: """
                ALTER TABLE audit_record ADD COLUMN cards text NULL;
                ALTER TABLE audit_record ADD COLUMN card_prefix bigint NULL;
                CREATE INDEX audit_record_card_prefix ON audit_record (card_prefix) WHERE card_prefix IS NOT NULL;
                """),
    ];

    public static int CurrentVersion => Migrations[^1].Version;
}
