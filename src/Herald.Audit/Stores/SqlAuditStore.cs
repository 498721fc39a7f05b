using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Herald.Audit.Stores;

/// <summary>
/// The audit store over ADO.NET, shared by SQLite and PostgreSQL: the same statements, every value a
/// parameter. A backend supplies connections, the schema lock and how ids and times are written and read.
/// </summary>
public abstract class SqlAuditStore : IAuditStore, IAsyncDisposable
{
    // The columns of a record as queries read it; the input is read only for one record (FindAsync).
    private protected const string RecordColumns =
        "id, time, caller, service, hook, hook_instance, patient_id, edition, knowledge_base_version, input_digest, output_digest, " +
        "latency_ms, status, summary";

    // The columns a read takes: the record's own, then its cards (null for a record written before schema version 5).
    private const string ReadColumns = RecordColumns + ", cards";

    // The columns an insert writes, in the order of RecordValuesSql.
    private protected const string InsertColumns = RecordColumns + ", input, cards, card_prefix";

    private const string FeedbackColumns =
        "id, audit_id, caller, service, card_id, outcome, override_reason_code, override_reason_system, " +
        "override_reason_display, user_comment, accepted_suggestions, outcome_time, received_at";

    private protected SqlAuditStore()
    {
    }

    /// <summary>Which backend this is, for /health and logs ("sqlite" or "postgresql").</summary>
    public abstract string Backend { get; }

    /// <summary>Where the records go, for the start banner and /health; never a password.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// What is known to be wrong with the database now, without writing to it (for /health); null when nothing is.
    /// </summary>
    public virtual string? Problem => null;

    private protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A transaction that holds the schema lock until it ends, so two processes migrate one after the other.</summary>
    private protected abstract Task<DbTransaction> BeginSchemaTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A read-only transaction that sees one snapshot for all its statements.</summary>
    private protected abstract Task<DbTransaction> BeginSnapshotTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    private protected abstract string VersionTableSql { get; }

    private protected abstract string MigrationSql(AuditMigration migration);

    private protected abstract object IdValue(Guid id);

    private protected abstract Guid ReadId(DbDataReader reader, int ordinal);

    private protected abstract object TimeValue(DateTimeOffset time);

    private protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    public abstract ValueTask DisposeAsync();

    public Task EnsureSchemaAsync(CancellationToken cancellationToken = default) =>
        MigrateAsync(AuditSchema.CurrentVersion, cancellationToken);

    /// <summary>Applies the migrations up to <paramref name="targetVersion"/>; tests use it to build an older schema.</summary>
    internal async Task MigrateAsync(int targetVersion, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginSchemaTransactionAsync(connection, cancellationToken).ConfigureAwait(false);

        await ExecuteAsync(connection, transaction, VersionTableSql, [], cancellationToken).ConfigureAwait(false);
        var current = await CurrentVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (current > AuditSchema.CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The audit database is at schema version {current}, newer than this Herald knows ({AuditSchema.CurrentVersion}). " +
                "Run a Herald at least as new as the one that migrated it.");
        }

        foreach (var migration in AuditSchema.Migrations.Where(m => m.Version > current && m.Version <= targetVersion))
        {
            await ExecuteAsync(connection, transaction, MigrationSql(migration), [], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction,
                $"INSERT INTO {AuditSchema.VersionTable} (version, description, applied_at) VALUES (@version, @description, @appliedAt)",
                [("@version", migration.Version), ("@description", migration.Description), ("@appliedAt", TimeValue(DateTimeOffset.UtcNow))],
                cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        SchemaReady();
    }

    /// <summary>The schema is in place; a backend may note which database it is in.</summary>
    private protected virtual void SchemaReady()
    {
    }

    /// <summary>The versions recorded as applied, in order.</summary>
    internal async Task<IReadOnlyList<int>> AppliedVersionsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT version FROM {AuditSchema.VersionTable} ORDER BY version", []);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var versions = new List<int>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
        }

        return versions;
    }

    public async Task<IReadOnlyList<bool>> WriteAsync(IReadOnlyList<AuditWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
        {
            return [];
        }

        var results = new bool[writes.Count];
        try
        {
            await using var connection = await OpenForWriteAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await BeginWriteTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
            // A backend may write the leading records its own way (PostgreSQL: one round trip for all of them).
            var first = await InsertLeadingRecordsAsync(connection, transaction, writes, results, cancellationToken).ConfigureAwait(false);

            for (var i = first; i < writes.Count; i++)
            {
                results[i] = writes[i] switch
                {
                    { Record: { } record, Feedback: null } => await InsertRecordAsync(connection, transaction, record, cancellationToken).ConfigureAwait(false),
                    { Record: null, Feedback: { } feedback } => await InsertFeedbackAsync(connection, transaction, feedback, cancellationToken).ConfigureAwait(false),
                    _ => throw new ArgumentException($"Write {i} must hold a record or a piece of feedback, not both or neither.", nameof(writes)),
                };
            }

            BeforeWriteCommitForTests?.Invoke();
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            WriteCommitted();
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            WriteFailed();
            throw;
        }

        return results;
    }

    /// <summary>A connection to write with; a backend checks here that it still writes where it should.</summary>
    private protected virtual ValueTask<DbConnection> OpenForWriteAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

    private protected virtual async Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Runs just before a write commits: lets a test put a fault between the checks and the commit.</summary>
    internal Action? BeforeWriteCommitForTests { get; set; }

    /// <summary>
    /// A write was committed: a backend may still find it did not land where it should (and throw, so the writes are
    /// spooled and written again; inserts are idempotent).
    /// </summary>
    private protected virtual void WriteCommitted()
    {
    }

    /// <summary>A write failed: a backend drops connections that may be in a bad state, so the next write starts afresh.</summary>
    private protected virtual void WriteFailed()
    {
    }

    /// <summary>
    /// Writes the leading run of records in <paramref name="writes"/> (setting their results) and returns how many it
    /// took; the base writes none here, and each record then goes by <see cref="InsertRecordAsync"/>.
    /// </summary>
    private protected virtual Task<int> InsertLeadingRecordsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<AuditWrite> writes, bool[] results, CancellationToken cancellationToken) =>
        Task.FromResult(0);

    /// <summary>How many writes at the start of <paramref name="writes"/> are records.</summary>
    private protected static int LeadingRecords(IReadOnlyList<AuditWrite> writes)
    {
        var count = 0;
        while (count < writes.Count && writes[count] is { Record: not null, Feedback: null })
        {
            count++;
        }

        return count;
    }

    /// <summary>The record insert's columns and parameter values (the same for every backend).</summary>
    private protected static string RecordValuesSql => """
        @id, @time, @caller, @service, @hook, @hookInstance, @patientId, @edition, @kbVersion, @inputDigest, @outputDigest,
        @latencyMs, @status, @summary, @input, @cards, @cardPrefix
        """;

    private static string RecordInsertSql => $"""
        INSERT INTO audit_record ({InsertColumns})
        VALUES ({RecordValuesSql})
        ON CONFLICT (id) DO NOTHING
        """;

    private (string Sql, List<(string, object?)> Parameters) CardInsert(AuditRecord record)
    {
        var values = new StringBuilder();
        var parameters = new List<(string, object?)> { ("@auditId", IdValue(record.Id)) };
        for (var position = 0; position < record.CardIds.Count; position++)
        {
            values.Append(position == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@auditId, {position}, @card{position})");
            parameters.Add(($"@card{position}", record.CardIds[position]));
        }

        return ($"INSERT INTO audit_card (audit_id, position, card_id) VALUES {values}", parameters);
    }

    private protected IReadOnlyList<(string Name, object? Value)> RecordParameters(AuditRecord record, StoredCards cards)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Caller, nameof(record));
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Service, nameof(record));
        return
        [
            ("@id", IdValue(record.Id)),
            ("@time", TimeValue(ToMicroseconds(record.Time))),
            ("@caller", record.Caller),
            ("@service", record.Service),
            ("@hook", record.Hook),
            ("@hookInstance", record.HookInstance),
            ("@patientId", record.PatientId),
            ("@edition", record.Edition),
            ("@kbVersion", record.KnowledgeBaseVersion),
            ("@inputDigest", record.InputDigest),
            ("@outputDigest", record.OutputDigest),
            ("@latencyMs", record.LatencyMs),
            ("@status", record.Status),
            ("@summary", AuditRecordSize.SummaryJson(record.Summary)),
            ("@input", record.Input),
            ("@cards", cards.Json),
            ("@cardPrefix", cards.Prefix),
        ];
    }

    private async Task<bool> InsertRecordAsync(DbConnection connection, DbTransaction transaction, AuditRecord record, CancellationToken cancellationToken)
    {
        var cards = StoredCards.Of(record.CardIds);
        var inserted = await ExecuteAsync(connection, transaction, RecordInsertSql, RecordParameters(record, cards), cancellationToken).ConfigureAwait(false);

        // A record already stored keeps its cards; only a new record writes the rows of cards that share no prefix,
        // all in one statement.
        if (inserted == 1 && cards.NeedsCardRows)
        {
            var (sql, parameters) = CardInsert(record);
            await ExecuteAsync(connection, transaction, sql, parameters, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private async Task<bool> InsertFeedbackAsync(DbConnection connection, DbTransaction transaction, AuditFeedback feedback, CancellationToken cancellationToken)
    {
        // Only a card this caller's own record produced, on the same service; the newest such record when
        // the same card id was answered more than once. A card is found through its answer's card prefix
        // (StoredCards) or, for earlier records and cards that share no prefix, through audit_card.
        Guid auditId;
        var prefix = StoredCards.PrefixOf(feedback.CardId);
        var byPrefix = prefix is null ? "" : """
            SELECT r.id, r.time FROM audit_record r
            WHERE r.card_prefix = @cardPrefix AND r.cards LIKE @cardPattern AND r.caller = @caller AND r.service = @service
            UNION ALL

            """;
        List<(string, object?)> findParameters = [("@cardId", feedback.CardId), ("@caller", feedback.Caller), ("@service", feedback.Service)];
        if (prefix is not null)
        {
            findParameters.Add(("@cardPrefix", prefix));
            findParameters.Add(("@cardPattern", StoredCards.ContainsPattern(feedback.CardId)));
        }

        await using (var find = Command(connection, transaction,
            $"""
            SELECT found.id FROM (
            {byPrefix}SELECT r.id, r.time FROM audit_record r JOIN audit_card c ON c.audit_id = r.id
            WHERE c.card_id = @cardId AND r.caller = @caller AND r.service = @service
            ) found
            ORDER BY found.time DESC, found.id DESC
            LIMIT 1
            """,
            findParameters))
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            auditId = ReadId(reader, 0);
        }

        await ExecuteAsync(connection, transaction,
            $"""
            INSERT INTO audit_feedback ({FeedbackColumns})
            VALUES (@id, @auditId, @caller, @service, @cardId, @outcome, @reasonCode, @reasonSystem, @reasonDisplay,
                    @userComment, @acceptedSuggestions, @outcomeTime, @receivedAt)
            ON CONFLICT (id) DO NOTHING
            """,
            [
                ("@id", IdValue(feedback.Id)),
                ("@auditId", IdValue(auditId)),
                ("@caller", feedback.Caller),
                ("@service", feedback.Service),
                ("@cardId", feedback.CardId),
                ("@outcome", feedback.Outcome),
                ("@reasonCode", feedback.OverrideReasonCode),
                ("@reasonSystem", feedback.OverrideReasonSystem),
                ("@reasonDisplay", feedback.OverrideReasonDisplay),
                ("@userComment", feedback.UserComment),
                ("@acceptedSuggestions", JsonSerializer.Serialize(feedback.AcceptedSuggestions, AuditJsonContext.Default.IReadOnlyListString)),
                ("@outcomeTime", feedback.OutcomeTime is { } outcomeTime ? TimeValue(ToMicroseconds(outcomeTime)) : null),
                ("@receivedAt", TimeValue(ToMicroseconds(feedback.ReceivedAt))),
            ],
            cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrWhiteSpace(query.Caller, nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));

        // The caller filter is always there: a caller reads its own records and nothing else.
        var where = new StringBuilder("caller = @caller");
        var parameters = new List<(string, object?)> { ("@caller", query.Caller) };
        if (query.PatientId is not null)
        {
            where.Append(" AND patient_id = @patientId");
            parameters.Add(("@patientId", query.PatientId));
        }

        if (query.Service is not null)
        {
            where.Append(" AND service = @service");
            parameters.Add(("@service", query.Service));
        }

        if (query.HookInstance is not null)
        {
            where.Append(" AND hook_instance = @hookInstance");
            parameters.Add(("@hookInstance", query.HookInstance));
        }

        if (query.From is { } from)
        {
            where.Append(" AND time >= @from");
            parameters.Add(("@from", TimeValue(ToMicroseconds(from))));
        }

        if (query.To is { } to)
        {
            where.Append(" AND time < @to");
            parameters.Add(("@to", TimeValue(ToMicroseconds(to))));
        }

        parameters.Add(("@limit", Math.Min(query.Limit, AuditQuery.MaxLimit)));
        var selected = $"SELECT id FROM audit_record WHERE {where} ORDER BY time DESC, id DESC LIMIT @limit";

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot for the three reads, so cards and feedback belong to exactly the records read.
        await using var transaction = await BeginSnapshotTransactionAsync(connection, cancellationToken).ConfigureAwait(false);

        var records = new List<(Guid Id, AuditRecord Record, bool CardsInRow)>();
        await using (var command = Command(connection, transaction,
            $"SELECT {ReadColumns} FROM audit_record WHERE {where} ORDER BY time DESC, id DESC LIMIT @limit", parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var (record, cardsInRow) = ReadRecord(reader, input: null);
                records.Add((record.Id, record, cardsInRow));
            }
        }

        if (records.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return [];
        }

        // audit_card holds only the cards of records written before schema version 5 (or that share no prefix).
        var cards = new Dictionary<Guid, List<string>>();
        if (records.Exists(r => !r.CardsInRow))
        {
            await using var command = Command(connection, transaction,
                $"SELECT audit_id, card_id FROM audit_card WHERE audit_id IN ({selected}) ORDER BY audit_id, position", parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var auditId = ReadId(reader, 0);
                if (!cards.TryGetValue(auditId, out var list))
                {
                    cards[auditId] = list = [];
                }

                list.Add(reader.GetString(1));
            }
        }

        var feedback = new Dictionary<Guid, List<AuditFeedback>>();
        await using (var command = Command(connection, transaction,
            $"SELECT {FeedbackColumns} FROM audit_feedback WHERE audit_id IN ({selected}) ORDER BY received_at, id", parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var auditId = ReadId(reader, 1);
                if (!feedback.TryGetValue(auditId, out var list))
                {
                    feedback[auditId] = list = [];
                }

                list.Add(ReadFeedback(reader));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

        return records
            .Select(r => new AuditEntry(
                r.CardsInRow ? r.Record : WithCards(r.Record, cards.TryGetValue(r.Id, out var cardIds) ? cardIds : []),
                feedback.TryGetValue(r.Id, out var received) ? received : []))
            .ToList();
    }

    /// <summary>
    /// One record by id, with its input, its feedback and (for a record written before schema version 3) its full
    /// answer; null when there is none. For an operator with access to the database (<c>herald audit replay</c>): it
    /// reads any caller's record, so the server never calls it on a caller's behalf.
    /// </summary>
    public async Task<AuditEntry?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginSnapshotTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
        AuditRecord record;
        bool cardsInRow;
        await using (var command = Command(connection, transaction, $"SELECT {ReadColumns}, input FROM audit_record WHERE id = @id", [("@id", IdValue(id))]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var ordinal = reader.FieldCount - 1;
            (record, cardsInRow) = ReadRecord(reader, reader.IsDBNull(ordinal) ? null : (byte[])reader.GetValue(ordinal));
        }

        var cards = new List<string>();
        if (!cardsInRow)
        {
            await using var command = Command(connection, transaction, "SELECT card_id FROM audit_card WHERE audit_id = @id ORDER BY position", [("@id", IdValue(id))]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                cards.Add(reader.GetString(0));
            }
        }

        var feedback = new List<AuditFeedback>();
        await using (var command = Command(connection, transaction,
            $"SELECT {FeedbackColumns} FROM audit_feedback WHERE audit_id = @id ORDER BY received_at, id", [("@id", IdValue(id))]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                feedback.Add(ReadFeedback(reader));
            }
        }

        string? legacyOutput = null;
        await using (var command = Command(connection, transaction, "SELECT output FROM audit_legacy_output WHERE audit_id = @id", [("@id", IdValue(id))]))
        {
            legacyOutput = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AuditEntry(cardsInRow ? record : WithCards(record, cards), feedback, legacyOutput);
    }

    /// <summary>A record as <see cref="ReadColumns"/> gives it; whether its cards were in its row or are in audit_card.</summary>
    private (AuditRecord Record, bool CardsInRow) ReadRecord(DbDataReader reader, byte[]? input)
    {
        var summary = NullableString(reader, 13) is { } json
            ? (JsonSerializer.Deserialize(json, AuditJsonContext.Default.StoredSummary) ?? throw new InvalidDataException("An audit summary is null."))
            : null;
        var cards = NullableString(reader, 14) is { } cardsJson ? StoredCards.Read(cardsJson) : null;
        return (new AuditRecord(
            ReadId(reader, 0),
            ReadTime(reader, 1),
            reader.GetString(2),
            reader.GetString(3),
            NullableString(reader, 4),
            NullableString(reader, 5),
            NullableString(reader, 6),
            NullableString(reader, 7),
            NullableString(reader, 8),
            reader.GetString(9),
            NullableString(reader, 10),
            reader.GetDouble(11),
            Convert.ToInt32(reader.GetValue(12), CultureInfo.InvariantCulture),
            summary?.With(cards ?? []) ?? (AuditSummary.None with { Cards = cards ?? [] }),
            input), cards is not null);
    }

    private static AuditRecord WithCards(AuditRecord record, IReadOnlyList<string> cards) =>
        record with { Summary = record.Summary with { Cards = cards } };

    private AuditFeedback ReadFeedback(DbDataReader reader) =>
        new(
            reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            reader.GetString(5),
            NullableString(reader, 6),
            NullableString(reader, 7),
            NullableString(reader, 8),
            NullableString(reader, 9),
            JsonSerializer.Deserialize(reader.GetString(10), AuditJsonContext.Default.IReadOnlyListString) ?? [],
            reader.IsDBNull(11) ? null : ReadTime(reader, 11),
            ReadTime(reader, 12))
        {
            Id = ReadId(reader, 0),
        };

    /// <summary>Both backends keep times to the microsecond (PostgreSQL's precision); cut the rest off the same way everywhere.</summary>
    internal static DateTimeOffset ToMicroseconds(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    private protected async Task<int> ExecuteAsync(
        DbConnection connection, DbTransaction? transaction, string sql,
        IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> CurrentVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"SELECT MAX(version) FROM {AuditSchema.VersionTable}", []);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private static DbCommand Command(
        DbConnection connection, DbTransaction? transaction, string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static string? NullableString(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
