using Herald.Audit.Stores;
using Herald.Server.Security;
using Herald.Server.Tests.Audit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Server.Tests.Security;

/// <summary>
/// The jti contract on PostgreSQL, in a schema of its own migrated like the audit's, and what only a shared cache must
/// do: two replicas over one database admit a token once and count each other's entries toward the bound, and a
/// database that does not answer refuses the token.
/// </summary>
[Collection(PostgresAuditCollection.Name)]
public sealed class PostgresJtiReplayCacheTests(PostgresTestDatabase database) : JtiReplayCacheContract
{
    private string connectionString = "";

    public override async Task InitializeAsync()
    {
        connectionString = await database.CreateEmptySchemaAsync();
        await using var store = new PostgresAuditStore(connectionString);
        await store.EnsureSchemaAsync();
    }

    protected override IJtiReplayCache Create(int capacity) =>
        new PostgresJtiReplayCache(connectionString, Clock, capacity, NullLogger<PostgresJtiReplayCache>.Instance);

    protected override Task<long> StoredCountAsync(IJtiReplayCache cache) => ((PostgresJtiReplayCache)cache).StoredCountAsync();

    [Fact]
    public async Task A_token_used_at_one_replica_is_a_replay_at_another()
    {
        var first = Cache(100);
        var second = Cache(100);

        Assert.Equal(ReplayCheck.FirstUse, await Register(first, "once", Now.AddMinutes(5)));
        Assert.Equal(ReplayCheck.Replayed, await Register(second, "once", Now.AddMinutes(5)));
        Assert.Equal(ReplayCheck.Replayed, await Register(first, "once", Now.AddMinutes(5)));
    }

    [Fact]
    public async Task Concurrent_uses_of_one_jti_at_two_replicas_admit_exactly_one()
    {
        var replicas = new[] { Cache(10_000), Cache(10_000) };
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await Register(replicas[i % 2], "contested", Now.AddMinutes(5));
        })).ToArray();

        start.Set();
        var results = await Task.WhenAll(tasks);

        Assert.Equal(1, results.Count(result => result == ReplayCheck.FirstUse));
        Assert.Equal(31, results.Count(result => result == ReplayCheck.Replayed));
    }

    [Fact]
    public async Task A_replica_counts_the_entries_other_replicas_made_toward_the_bound()
    {
        var first = Cache(2);
        await Register(first, "a", Now.AddMinutes(5));
        await Register(first, "b", Now.AddMinutes(5));
        var second = Cache(2);

        Assert.Equal(ReplayCheck.CacheFull, await Register(second, "c", Now.AddMinutes(5)));
        Assert.Equal(ReplayCheck.Replayed, await Register(second, "b", Now.AddMinutes(5)));
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_refuses_the_token_instead_of_admitting_it()
    {
        // Nothing listens on port 1; the connection fails at once.
        await using var unreachable = new PostgresJtiReplayCache(
            "Host=127.0.0.1;Port=1;Username=postgres;Database=postgres;Timeout=1", Clock, 100, NullLogger<PostgresJtiReplayCache>.Instance);

        Assert.Equal(ReplayCheck.Unavailable, await Register(unreachable, "a", Now.AddMinutes(5)));
        Assert.Equal(ReplayCheck.Unavailable, await Register(unreachable, "a", Now.AddMinutes(5)));
    }

    [Fact]
    public async Task A_database_without_the_jti_table_refuses_the_token_instead_of_admitting_it()
    {
        var empty = await database.CreateEmptySchemaAsync();
        await using var cache = new PostgresJtiReplayCache(empty, Clock, 100, NullLogger<PostgresJtiReplayCache>.Instance);

        Assert.Equal(ReplayCheck.Unavailable, await Register(cache, "a", Now.AddMinutes(5)));
    }
}
