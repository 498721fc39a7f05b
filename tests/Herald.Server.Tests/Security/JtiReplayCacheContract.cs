using Herald.Server.Security;

namespace Herald.Server.Tests.Security;

/// <summary>
/// What every jti replay cache must do: one use per (issuer, jti) until the entry's time, expired entries dropped, a
/// bound that refuses new tokens rather than forgetting live ones, and one winner among concurrent uses. The same tests
/// run on the in-memory cache and on the PostgreSQL one replicas share.
/// </summary>
public abstract class JtiReplayCacheContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly List<IJtiReplayCache> created = [];

    protected ManualTimeProvider Clock { get; } = new(Now);

    /// <summary>A cache over this test's empty store (for PostgreSQL: another replica when called twice).</summary>
    protected abstract IJtiReplayCache Create(int capacity);

    /// <summary>Entries the cache keeps now, expired or not: what purging must bring down.</summary>
    protected abstract Task<long> StoredCountAsync(IJtiReplayCache cache);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var cache in created.OfType<IAsyncDisposable>())
        {
            await cache.DisposeAsync();
        }
    }

    protected IJtiReplayCache Cache(int capacity)
    {
        var cache = Create(capacity);
        created.Add(cache);
        return cache;
    }

    protected Task<ReplayCheck> Register(IJtiReplayCache cache, string jti, DateTimeOffset until, string issuer = "iss") =>
        cache.TryRegisterAsync(issuer, jti, until, CancellationToken.None).AsTask();

    [Fact]
    public async Task A_jti_is_a_replay_until_it_is_forgotten_at_its_time()
    {
        var cache = Cache(10);

        Assert.Equal(ReplayCheck.FirstUse, await Register(cache, "a", Now.AddMinutes(5)));
        Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Equal(ReplayCheck.Replayed, await Register(cache, "a", Now.AddMinutes(5)));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ReplayCheck.FirstUse, await Register(cache, "a", Now.AddMinutes(10)));
    }

    [Fact]
    public async Task The_size_reported_for_metrics_counts_each_first_use_and_no_replay()
    {
        var cache = Cache(10);
        var before = cache.KnownSize;

        await Register(cache, "a", Now.AddMinutes(5));
        await Register(cache, "b", Now.AddMinutes(5));
        await Register(cache, "a", Now.AddMinutes(5));

        Assert.Equal(before + 2, cache.KnownSize);
    }

    [Fact]
    public async Task The_same_jti_from_another_issuer_is_another_token()
    {
        var cache = Cache(10);

        Assert.Equal(ReplayCheck.FirstUse, await Register(cache, "a", Now.AddMinutes(5), issuer: "https://ehr-a.example"));
        Assert.Equal(ReplayCheck.FirstUse, await Register(cache, "a", Now.AddMinutes(5), issuer: "https://ehr-b.example"));
        Assert.Equal(ReplayCheck.Replayed, await Register(cache, "a", Now.AddMinutes(5), issuer: "https://ehr-b.example"));
    }

    [Fact]
    public async Task Expired_entries_are_purged_so_the_store_stays_bounded()
    {
        var cache = Cache(1000);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(ReplayCheck.FirstUse, await Register(cache, $"jti-{i}", Now.AddSeconds(i + 1)));
        }

        Assert.Equal(100, await StoredCountAsync(cache));

        Clock.Advance(TimeSpan.FromSeconds(50));
        await Register(cache, "late", Now.AddMinutes(10));

        // Entries 0-49 (forgotten at 1-50 s) are gone; 50-99 and "late" remain.
        Assert.Equal(51, await StoredCountAsync(cache));
    }

    [Fact]
    public async Task When_full_of_live_entries_new_tokens_are_refused_rather_than_forgetting_old_ones()
    {
        var cache = Cache(2);
        await Register(cache, "a", Now.AddMinutes(5));
        await Register(cache, "b", Now.AddMinutes(5));

        Assert.Equal(ReplayCheck.CacheFull, await Register(cache, "c", Now.AddMinutes(5)));
        Assert.Equal(ReplayCheck.Replayed, await Register(cache, "a", Now.AddMinutes(5)));

        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(ReplayCheck.FirstUse, await Register(cache, "c", Now.AddMinutes(10)));
    }

    [Fact]
    public async Task A_jti_of_any_length_is_remembered()
    {
        var cache = Cache(10);
        var jti = new string('j', 20_000);

        Assert.Equal(ReplayCheck.FirstUse, await Register(cache, jti, Now.AddMinutes(5)));
        Assert.Equal(ReplayCheck.Replayed, await Register(cache, jti, Now.AddMinutes(5)));
        Assert.Equal(ReplayCheck.FirstUse, await Register(cache, jti + "x", Now.AddMinutes(5)));
    }

    [Fact]
    public async Task Concurrent_uses_of_one_jti_admit_exactly_one()
    {
        var cache = Cache(10_000);
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await Register(cache, "contested", Now.AddMinutes(5));
        })).ToArray();

        start.Set();
        var results = await Task.WhenAll(tasks);

        Assert.Equal(1, results.Count(result => result == ReplayCheck.FirstUse));
        Assert.Equal(31, results.Count(result => result == ReplayCheck.Replayed));
    }
}

public sealed class InMemoryJtiReplayCacheTests : JtiReplayCacheContract
{
    protected override IJtiReplayCache Create(int capacity) => new JtiReplayCache(Clock, capacity);

    protected override Task<long> StoredCountAsync(IJtiReplayCache cache) => Task.FromResult((long)((JtiReplayCache)cache).Count);
}
