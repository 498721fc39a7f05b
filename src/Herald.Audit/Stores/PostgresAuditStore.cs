using System.Data.Common;
using Npgsql;

namespace Herald.Audit.Stores;

/// <summary>The audit store on PostgreSQL: ids are uuid, times timestamptz, output text kept byte for byte.</summary>
public sealed class PostgresAuditStore : SqlAuditStore
{
    // pg_advisory_xact_lock key for schema changes: ASCII "HERAUDIT".
    private const long SchemaLockKey = 0x4845_5241_5544_4954;

    private readonly NpgsqlDataSource dataSource;

    /// <summary>A store over an Npgsql connection string (Host=...;Database=...).</summary>
    public PostgresAuditStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"PostgreSQL at {settings.Host}:{settings.Port}/{settings.Database ?? settings.Username}";
        dataSource = NpgsqlDataSource.Create(settings);
    }

    public override string Description { get; }

    public override string Backend => "postgresql";

    public override ValueTask DisposeAsync() => dataSource.DisposeAsync();

    private protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    private protected override async Task<DbTransaction> BeginSchemaTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Held until the transaction ends: concurrent starts migrate one after the other, never interleaved.
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", [("@key", SchemaLockKey)], cancellationToken)
            .ConfigureAwait(false);
        return transaction;
    }

    private protected override async Task<DbTransaction> BeginSnapshotTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

    private protected override string VersionTableSql => $"""
        CREATE TABLE IF NOT EXISTS {AuditSchema.VersionTable} (
            version     integer     NOT NULL PRIMARY KEY,
            description text        NOT NULL,
            applied_at  timestamptz NOT NULL
        )
        """;

    private protected override string MigrationSql(AuditMigration migration) => migration.Postgres;

    private protected override object IdValue(Guid id) => id;

    private protected override Guid ReadId(DbDataReader reader, int ordinal) => reader.GetGuid(ordinal);

    private protected override object TimeValue(DateTimeOffset time) => time.ToUniversalTime();

    private protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        reader.GetFieldValue<DateTimeOffset>(ordinal);
}
