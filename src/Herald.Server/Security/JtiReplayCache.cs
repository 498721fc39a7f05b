namespace Herald.Server.Security;

public enum ReplayCheck
{
    FirstUse,
    Replayed,
    CacheFull,
    /// <summary>The shared store did not answer (in time): the token can be neither accepted nor called a replay.</summary>
    Unavailable,
}

/// <summary>
/// Remembers each accepted (issuer, jti) until the token could no longer be accepted anyway (exp plus clock skew),
/// so a captured token cannot be sent twice. Thread-safe; memory is bounded by <see cref="CdsAuthOptions.ReplayCacheCapacity"/>:
/// when full of unexpired entries, new tokens are refused (fail closed) rather than forgetting one that could then be replayed.
/// </summary>
public sealed class JtiReplayCache(TimeProvider time, int capacity) : IJtiReplayCache
{
    private readonly object sync = new();
    private readonly Dictionary<(string Issuer, string Jti), DateTimeOffset> forgetAt = [];
    private readonly PriorityQueue<(string Issuer, string Jti), DateTimeOffset> byExpiry = new();

    public string Backend => "memory";

    public long KnownSize => Count;

    public int Count
    {
        get
        {
            lock (sync)
            {
                return forgetAt.Count;
            }
        }
    }

    public ValueTask<ReplayCheck> TryRegisterAsync(string issuer, string jti, DateTimeOffset rememberUntil, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TryRegister(issuer, jti, rememberUntil));

    public ReplayCheck TryRegister(string issuer, string jti, DateTimeOffset rememberUntil)
    {
        var now = time.GetUtcNow();
        lock (sync)
        {
            Purge(now);
            var key = (issuer, jti);
            if (forgetAt.ContainsKey(key))
            {
                return ReplayCheck.Replayed;
            }
            if (forgetAt.Count >= capacity)
            {
                return ReplayCheck.CacheFull;
            }
            forgetAt[key] = rememberUntil;
            byExpiry.Enqueue(key, rememberUntil);
            return ReplayCheck.FirstUse;
        }
    }

    private void Purge(DateTimeOffset now)
    {
        while (byExpiry.TryPeek(out var key, out var until) && until <= now)
        {
            byExpiry.Dequeue();
            forgetAt.Remove(key);
        }
    }
}
