using System.Diagnostics;
using Herald.Audit;
using Herald.Audit.Stores;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Tests.Audit;

/// <summary>The audit contract on SQLite: a new database file per test.</summary>
public sealed class SqliteAuditStoreTests : AuditStoreContract
{
    private string databasePath = "";

    protected override Task CreateEmptyDatabaseAsync(string tempDirectory)
    {
        // A folder that does not exist yet: the store creates it.
        databasePath = Path.Combine(tempDirectory, "data", "audit.db");
        return Task.CompletedTask;
    }

    protected override SqlAuditStore OpenStore() => new SqliteAuditStore(databasePath);

    protected override async Task<bool> IndexExistsAsync(string name)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = @name";
        command.Parameters.AddWithValue("@name", name);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task The_database_file_and_its_missing_folder_are_created_on_first_start()
    {
        var path = Path.Combine(Path.GetDirectoryName(databasePath)!, "not", "yet", "there", "audit.db");
        await using var store = new SqliteAuditStore(path);

        await store.EnsureSchemaAsync();

        Assert.True(File.Exists(path));
        Assert.Equal([1, 2, 3, 4, 5], await store.AppliedVersionsAsync());
    }

    [Fact]
    public async Task A_held_write_lock_sends_records_to_the_spool_within_the_store_timeout_instead_of_stalling_answers()
    {
        await using var store = new SqliteAuditStore(databasePath, busyTimeout: TimeSpan.FromMilliseconds(300));
        await store.EnsureSchemaAsync();
        var clock = new ManualClock();
        await using var writer = new DurableAuditWriter(store, Path.Combine(Path.GetDirectoryName(databasePath)!, "spool"),
            new AuditQueueOptions { StoreTimeout = TimeSpan.FromMilliseconds(300), StoreRetryInterval = TimeSpan.FromSeconds(5) }, clock);

        // A backup or a sqlite3 session holding the database's write lock.
        await using var holder = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await holder.OpenAsync();
        var lockHeld = holder.BeginTransaction(deferred: false);

        var timer = Stopwatch.StartNew();
        var first = AuditSamples.Record();
        await writer.AppendAsync(first);
        var firstWait = timer.Elapsed;
        timer.Restart();
        var second = AuditSamples.Record(time: AuditSamples.Noon.AddMinutes(1));
        await writer.AppendAsync(second);
        var secondWait = timer.Elapsed;

        // Without the bound, the first answer waited 30 s for the lock.
        Assert.True(firstWait < TimeSpan.FromSeconds(5), $"the first record waited {firstWait.TotalSeconds:0.0} s");
        Assert.True(secondWait < TimeSpan.FromSeconds(1), $"the second record waited {secondWait.TotalSeconds:0.0} s while the lock was known to be held");
        Assert.Equal(2, writer.Health.Pending);
        Assert.False(writer.Health.StoreReachable);

        lockHeld.Rollback();
        clock.Advance(TimeSpan.FromSeconds(6));
        var third = AuditSamples.Record(time: AuditSamples.Noon.AddMinutes(2));
        await writer.AppendAsync(third);
        Assert.True(writer.Health.StoreReachable);
        Assert.Equal(2, await writer.DrainSpoolAsync());

        Assert.Equal([third.Id, second.Id, first.Id], (await store.QueryAsync(new AuditQuery(first.Caller))).Select(e => e.Record.Id));
    }

    [Fact]
    public async Task A_database_file_deleted_with_its_folder_under_an_open_store_is_not_written_to_and_is_created_again_by_the_next_write()
    {
        await using var store = new SqliteAuditStore(databasePath);
        await store.EnsureSchemaAsync();
        var before = AuditSamples.Record();
        await store.AppendAsync(before);
        Assert.Null(store.Problem);

        Directory.Delete(Path.GetDirectoryName(databasePath)!, recursive: true);

        Assert.Contains("deleted or replaced", store.Problem, StringComparison.Ordinal);
        var lost = AuditSamples.Record(time: AuditSamples.Noon.AddMinutes(1));
        await Assert.ThrowsAsync<AuditStoreMovedException>(() => store.AppendAsync(lost));

        var after = AuditSamples.Record(time: AuditSamples.Noon.AddMinutes(2));
        await store.AppendAsync(after);

        Assert.True(File.Exists(databasePath));
        Assert.Null(store.Problem);
        Assert.Equal([after.Id], (await store.QueryAsync(new AuditQuery(after.Caller))).Select(e => e.Record.Id));
        Assert.Equal([1, 2, 3, 4, 5], await store.AppliedVersionsAsync());
    }

    [Fact]
    public async Task A_write_whose_file_is_deleted_between_the_check_and_the_commit_is_not_acknowledged_and_lands_when_written_again()
    {
        await using var store = new SqliteAuditStore(databasePath);
        await store.EnsureSchemaAsync();
        await store.AppendAsync(AuditSamples.Record());
        var racing = AuditSamples.Record(time: AuditSamples.Noon.AddMinutes(1));
        store.BeforeWriteCommitForTests = () => Directory.Delete(Path.GetDirectoryName(databasePath)!, recursive: true);

        await Assert.ThrowsAsync<AuditStoreMovedException>(() => store.AppendAsync(racing));

        store.BeforeWriteCommitForTests = null;
        await store.AppendAsync(racing); // what a spool drain does
        Assert.Equal([racing.Id], (await store.QueryAsync(new AuditQuery(racing.Caller))).Select(e => e.Record.Id));
    }

    [Fact]
    public async Task A_database_file_replaced_under_an_open_store_is_not_written_to()
    {
        await using var store = new SqliteAuditStore(databasePath);
        await store.EnsureSchemaAsync();
        await store.AppendAsync(AuditSamples.Record());

        // An operator restores another file under the same name.
        var restored = databasePath + ".restored";
        File.Copy(databasePath, restored);
        File.Move(restored, databasePath, overwrite: true);

        await Assert.ThrowsAsync<AuditStoreMovedException>(() => store.AppendAsync(AuditSamples.Record()));
    }
}
