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

    /// <summary>
    /// Every leading record of a commit in one round trip: one statement per record that inserts it and, only when it
    /// was new, the rows of its cards that share no prefix (a record already stored keeps its first write, cards
    /// included). One exchange per commit instead of two per record.
    /// </summary>
    private protected override async Task<int> InsertLeadingRecordsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<AuditWrite> writes, bool[] results, CancellationToken cancellationToken)
    {
        var count = LeadingRecords(writes);
        if (count == 0)
        {
            return 0;
        }

        await using var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        for (var i = 0; i < count; i++)
        {
            var record = writes[i].Record!;
            var cards = StoredCards.Of(record.CardIds);
            var cardRows = cards.NeedsCardRows ? record.CardIds.Count : 0;
            var command = new NpgsqlBatchCommand(RecordWithCardsSql(cardRows));
            foreach (var (name, value) in RecordParameters(record, cards))
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            for (var position = 0; position < cardRows; position++)
            {
                command.Parameters.AddWithValue($"@card{position}", record.CardIds[position]);
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        Array.Fill(results, true, 0, count);
        return count;
    }

    private static string RecordWithCardsSql(int cardRows)
    {
        var insert = $"INSERT INTO audit_record ({InsertColumns}) VALUES ({RecordValuesSql}) ON CONFLICT (id) DO NOTHING";
        if (cardRows == 0)
        {
            return insert;
        }

        var values = string.Join(", ", Enumerable.Range(0, cardRows).Select(p => $"({p}, @card{p})"));
        return $"""
            WITH inserted AS ({insert} RETURNING id)
            INSERT INTO audit_card (audit_id, position, card_id)
            SELECT inserted.id, card.position, card.card_id FROM inserted, (VALUES {values}) AS card (position, card_id)
            """;
    }

    private protected override object IdValue(Guid id) => id;

    private protected override Guid ReadId(DbDataReader reader, int ordinal) => reader.GetGuid(ordinal);

    private protected override object TimeValue(DateTimeOffset time) => time.ToUniversalTime();

    private protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        reader.GetFieldValue<DateTimeOffset>(ordinal);
}
