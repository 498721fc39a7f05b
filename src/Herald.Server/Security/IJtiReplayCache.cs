namespace Herald.Server.Security;

/// <summary>
/// Remembers each accepted (issuer, jti) until the token could no longer be accepted anyway, so a token is used once.
/// In memory for one server (<see cref="JtiReplayCache"/>); in the audit's PostgreSQL for replicas that share it
/// (<see cref="PostgresJtiReplayCache"/>), so a token replayed to another replica is refused too.
/// </summary>
public interface IJtiReplayCache
{
    /// <summary>Where the pairs are kept, for /health: "memory" or "postgresql".</summary>
    string Backend { get; }

    /// <summary>
    /// Live pairs as this server last knew them, for /metrics: exact in memory; for a shared table, the count taken at
    /// its last refresh plus what this server added since.
    /// </summary>
    long KnownSize { get; }

    /// <summary>
    /// Registers the pair, or says it was seen before, that no more can be remembered now, or that the shared store
    /// cannot be asked: the last two refuse the token (fail closed).
    /// </summary>
    ValueTask<ReplayCheck> TryRegisterAsync(string issuer, string jti, DateTimeOffset rememberUntil, CancellationToken cancellationToken);
}
