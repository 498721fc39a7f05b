using Herald.Server.Security;

namespace Herald.Server.Tests.Security;

public sealed class JtiReplayCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider clock = new(Now);

    [Fact]
    public void A_jti_is_a_replay_until_it_is_forgotten_at_its_time()
    {
        var cache = new JtiReplayCache(clock, 10);

        Assert.Equal(ReplayCheck.FirstUse, cache.TryRegister("iss", "a", Now.AddMinutes(5)));
        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Equal(ReplayCheck.Replayed, cache.TryRegister("iss", "a", Now.AddMinutes(5)));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ReplayCheck.FirstUse, cache.TryRegister("iss", "a", Now.AddMinutes(10)));
    }

    [Fact]
    public void Expired_entries_are_purged_so_memory_stays_bounded()
    {
        var cache = new JtiReplayCache(clock, 1000);
        for (var i = 0; i < 100; i++)
        {
            cache.TryRegister("iss", $"jti-{i}", Now.AddSeconds(i + 1));
        }
        Assert.Equal(100, cache.Count);

        clock.Advance(TimeSpan.FromSeconds(50));
        cache.TryRegister("iss", "late", Now.AddMinutes(10));

        Assert.Equal(51, cache.Count);
    }

    [Fact]
    public void When_full_of_live_entries_new_tokens_are_refused_rather_than_forgetting_old_ones()
    {
        var cache = new JtiReplayCache(clock, 2);
        cache.TryRegister("iss", "a", Now.AddMinutes(5));
        cache.TryRegister("iss", "b", Now.AddMinutes(5));

        Assert.Equal(ReplayCheck.CacheFull, cache.TryRegister("iss", "c", Now.AddMinutes(5)));
        Assert.Equal(ReplayCheck.Replayed, cache.TryRegister("iss", "a", Now.AddMinutes(5)));

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(ReplayCheck.FirstUse, cache.TryRegister("iss", "c", Now.AddMinutes(10)));
    }

    [Fact]
    public async Task Concurrent_uses_of_one_jti_admit_exactly_one()
    {
        var cache = new JtiReplayCache(clock, 10_000);
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 64).Select(_ => Task.Run(() =>
        {
            start.Wait();
            return cache.TryRegister("iss", "contested", Now.AddMinutes(5));
        })).ToArray();

        start.Set();
        var results = await Task.WhenAll(tasks);

        Assert.Equal(1, results.Count(result => result == ReplayCheck.FirstUse));
        Assert.Equal(63, results.Count(result => result == ReplayCheck.Replayed));
    }
}
