using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Herald.Audit.Stores;

/// <summary>
/// The embedded audit store: one SQLite file, created with its folder on first use. Ids are kept as
/// canonical lowercase text and times as fixed-width UTC text, so ordering by the column orders by time.
/// </summary>
public sealed class SqliteAuditStore : SqlAuditStore
{
    private const string TimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    // Microsoft.Data.Sqlite.Core ships without a native library; the bundle provides it and must be
    // registered once per process before the first connection.
    private static readonly Lazy<bool> NativeLibrary = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    private readonly string connectionString;

    /// <summary>A store in the SQLite file at <paramref name="path"/>; its folder is created if missing.</summary>
    public SqliteAuditStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _ = NativeLibrary.Value;
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        DatabasePath = fullPath;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            // A writer waits this long for another writer (or another process's migration) to finish.
            DefaultTimeout = 30,
        }.ToString();
    }

    public string DatabasePath { get; }

    public override string Backend => "sqlite";

    public override string Description => $"SQLite at {DatabasePath}";

    public override ValueTask DisposeAsync()
    {
        // Closes pooled handles so the file can be moved or deleted after the store is gone.
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    private protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private protected override async Task<DbTransaction> BeginSchemaTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Write-ahead logging lets readers go on while a record is written; the mode is stored in the file.
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // BEGIN IMMEDIATE takes the database's write lock at once: a second process waits here and then
        // sees the first one's migrations as done.
        return ((SqliteConnection)connection).BeginTransaction(deferred: false);
    }

    // A deferred transaction takes no write lock; in WAL mode its reads share one snapshot.
    private protected override Task<DbTransaction> BeginSnapshotTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    private protected override string VersionTableSql => $"""
        CREATE TABLE IF NOT EXISTS {AuditSchema.VersionTable} (
            version     INTEGER NOT NULL PRIMARY KEY,
            description TEXT    NOT NULL,
            applied_at  TEXT    NOT NULL
        )
        """;

    private protected override string MigrationSql(AuditMigration migration) => migration.Sqlite;

    private protected override object IdValue(Guid id) => id.ToString("D");

    private protected override Guid ReadId(DbDataReader reader, int ordinal) =>
        Guid.ParseExact(reader.GetString(ordinal), "D");

    private protected override object TimeValue(DateTimeOffset time) =>
        time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        DateTimeOffset.ParseExact(reader.GetString(ordinal), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
