namespace Herald.Server.Security;

/// <summary>
/// Remembers each accepted (issuer, jti) until the token could no longer be accepted anyway, so a token is used once.
/// In memory for one server (<see cref="JtiReplayCache"/>); replicas behind a load balancer need one they share.
/// </summary>
public interface IJtiReplayCache
{
    /// <summary>Registers the pair, or says it was seen before or that no more can be remembered now (fail closed).</summary>
    ValueTask<ReplayCheck> TryRegisterAsync(string issuer, string jti, DateTimeOffset rememberUntil, CancellationToken cancellationToken);
}
