using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Herald.Audit.Stores;

/// <summary>
/// The embedded audit store: one SQLite file, created with its folder on first use. Ids are kept as
/// canonical lowercase text and times as fixed-width UTC text, so ordering by the column orders by time.
/// Before each write the store checks that the file at its path is still the one it writes to: a file deleted (or its
/// folder) or replaced while open would otherwise take writes into a file nobody can read again. Such a write fails
/// (the caller spools it), and the next one creates the file afresh at the path, schema included.
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
    private readonly int busyTimeoutMs;
    private readonly Lock identityLock = new();
    private FileIdentity? identity;

    /// <summary>A store in the SQLite file at <paramref name="path"/>; its folder is created if missing.</summary>
    /// <param name="busyTimeout">
    /// How long a write waits for another writer's lock (a backup, a <c>sqlite3</c> session, another process) before it
    /// fails; the server sets it to its store timeout so that a held lock sends records to the spool instead of stalling
    /// answers. Default 30 seconds.
    /// </param>
    public SqliteAuditStore(string path, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _ = NativeLibrary.Value;
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        DatabasePath = fullPath;
        var timeout = busyTimeout ?? TimeSpan.FromSeconds(30);
        busyTimeoutMs = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            // Microsoft.Data.Sqlite retries a busy statement up to this many seconds; busy_timeout (below) is the finer bound.
            DefaultTimeout = (int)Math.Max(1, Math.Ceiling(timeout.TotalSeconds)),
        }.ToString();
    }

    public string DatabasePath { get; }

    public override string Backend => "sqlite";

    public override string Description => $"SQLite at {DatabasePath}";

    /// <summary>The file the store writes to is no longer at its path (deleted, its folder deleted, or replaced).</summary>
    public override string? Problem
    {
        get
        {
            var known = Known;

            return known is not null && FileIdentity.Of(DatabasePath) != known
                ? $"the SQLite file {DatabasePath} was deleted or replaced while the server had it open"
                : null;
        }
    }

    public override ValueTask DisposeAsync()
    {
        // Closes pooled handles so the file can be moved or deleted after the store is gone.
        ClearPool();
        return ValueTask.CompletedTask;
    }

    private protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragmas = connection.CreateCommand();
            // Every commit is flushed to disk before it returns (in WAL mode, one fsync of the log per transaction).
            pragmas.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {busyTimeoutMs}; PRAGMA synchronous = FULL;");
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private protected override async ValueTask<DbConnection> OpenForWriteAsync(CancellationToken cancellationToken)
    {
        var known = Known;

        if (known is null)
        {
            // First write, or the first after the file went away: create it (and its folder) with the schema.
            Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
            ClearPool();
            await MigrateAsync(AuditSchema.CurrentVersion, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            ThrowIfMoved(known, "nothing was written to it");
        }

        return await OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    // The file may go between the check before the write and the commit: checked again after, so a commit that landed
    // in a deleted file is not acknowledged (the writes are spooled and go to the recreated file).
    private protected override void WriteCommitted()
    {
        var known = Known;

        if (known is not null)
        {
            ThrowIfMoved(known, "the last commit may not have reached it and will be written again");
        }
    }

    private void ThrowIfMoved(FileIdentity? known, string consequence)
    {
        if (FileIdentity.Of(DatabasePath) == known)
        {
            return;
        }

        lock (identityLock)
        {
            identity = null;
        }

        ClearPool();
        throw new AuditStoreMovedException(
            $"The SQLite file {DatabasePath} was deleted or replaced while the server had it open; {consequence}. " +
            "The next write creates the file again at that path.");
    }

    private FileIdentity? Known
    {
        get
        {
            lock (identityLock)
            {
                return identity;
            }
        }
    }

    private protected override void SchemaReady()
    {
        lock (identityLock)
        {
            identity = FileIdentity.Of(DatabasePath);
        }
    }

    private protected override Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // BEGIN IMMEDIATE: the write lock is taken (or waited for, up to the busy timeout) before anything is written.
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    // A connection that failed may be stuck (opened read-only during a permission fault, or on a deleted file):
    // pooled handles are closed so the next write opens the file afresh.
    private protected override void WriteFailed() => ClearPool();

    private void ClearPool()
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
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
