namespace Herald.Server.Security;

/// <summary>Why a CDS client's token was refused. Each has a stable code for the problem body and logs.</summary>
public enum TokenFailure
{
    None,
    /// <summary>No Authorization header.</summary>
    MissingToken,
    /// <summary>An Authorization header that is not "Bearer &lt;token&gt;".</summary>
    MalformedHeader,
    /// <summary>The token is longer than the configured limit.</summary>
    TokenTooLarge,
    /// <summary>Not three base64url parts of JSON objects.</summary>
    MalformedToken,
    /// <summary>An unsigned token (alg "none").</summary>
    AlgorithmNone,
    /// <summary>Any algorithm other than RS384 or ES384 (HMAC, RS256, ...).</summary>
    UnsupportedAlgorithm,
    /// <summary>The JOSE header lacks kid, has a typ other than JWT, or demands extensions (crit).</summary>
    InvalidHeader,
    UnknownIssuer,
    UnknownKey,
    /// <summary>The key's type or declared alg does not fit the token's alg (e.g. an RSA key for ES384).</summary>
    AlgorithmKeyMismatch,
    InvalidSignature,
    /// <summary>A required claim (iss, aud, exp, iat, jti) is absent.</summary>
    MissingClaim,
    /// <summary>A claim has the wrong JSON type or an impossible value.</summary>
    InvalidClaim,
    Expired,
    IssuedInFuture,
    NotYetValid,
    /// <summary>exp is further after iat than the configured maximum lifetime.</summary>
    LifetimeTooLong,
    WrongAudience,
    Replayed,
    /// <summary>The issuer's keys could not be read (server-side; answered 503).</summary>
    KeysUnavailable,
    /// <summary>The replay cache is full of unexpired entries (server-side; answered 503).</summary>
    ReplayCacheFull,
    /// <summary>The shared replay cache (PostgreSQL) did not answer in time (server-side; answered 503).</summary>
    ReplayCacheUnavailable,
}

public static class TokenFailureCodes
{
    /// <summary>The stable, kebab-case code of a failure, e.g. "wrong-audience".</summary>
    public static string ToCode(this TokenFailure failure) => failure switch
    {
        TokenFailure.None => "none",
        TokenFailure.MissingToken => "missing-token",
        TokenFailure.MalformedHeader => "malformed-authorization-header",
        TokenFailure.TokenTooLarge => "token-too-large",
        TokenFailure.MalformedToken => "malformed-token",
        TokenFailure.AlgorithmNone => "alg-none",
        TokenFailure.UnsupportedAlgorithm => "unsupported-alg",
        TokenFailure.InvalidHeader => "invalid-header",
        TokenFailure.UnknownIssuer => "unknown-issuer",
        TokenFailure.UnknownKey => "unknown-kid",
        TokenFailure.AlgorithmKeyMismatch => "alg-key-mismatch",
        TokenFailure.InvalidSignature => "invalid-signature",
        TokenFailure.MissingClaim => "missing-claim",
        TokenFailure.InvalidClaim => "invalid-claim",
        TokenFailure.Expired => "expired",
        TokenFailure.IssuedInFuture => "iat-in-future",
        TokenFailure.NotYetValid => "not-yet-valid",
        TokenFailure.LifetimeTooLong => "lifetime-too-long",
        TokenFailure.WrongAudience => "wrong-audience",
        TokenFailure.Replayed => "replayed-jti",
        TokenFailure.KeysUnavailable => "keys-unavailable",
        TokenFailure.ReplayCacheFull => "replay-cache-full",
        TokenFailure.ReplayCacheUnavailable => "replay-cache-unavailable",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };

    /// <summary>Failures caused by Herald's own state rather than by the caller's token.</summary>
    public static bool IsServerSide(this TokenFailure failure) =>
        failure is TokenFailure.KeysUnavailable or TokenFailure.ReplayCacheFull or TokenFailure.ReplayCacheUnavailable;
}

/// <summary>
/// The result of checking a token. On failure, <see cref="Message"/> says why in words that are safe to send back:
/// it never contains the token, key material or claim values other than the issuer and audience.
/// </summary>
public sealed record TokenValidationOutcome
{
    public bool IsValid => Failure == TokenFailure.None;
    public TokenFailure Failure { get; internal init; }
    public string FailureCode => Failure.ToCode();
    public string? Message { get; internal init; }
    public string? Issuer { get; internal init; }
    public string? Subject { get; internal init; }
    public string? Tenant { get; internal init; }
    public string? Jti { get; internal init; }
    public DateTimeOffset? ExpiresAt { get; internal init; }

    public static TokenValidationOutcome Valid(string issuer, string? subject, string? tenant, string jti, DateTimeOffset expiresAt) =>
        new() { Issuer = issuer, Subject = subject, Tenant = tenant, Jti = jti, ExpiresAt = expiresAt };

    public static TokenValidationOutcome Fail(TokenFailure failure, string message, string? issuer = null) =>
        failure == TokenFailure.None
            ? throw new ArgumentException("A failure needs a reason.", nameof(failure))
            : new() { Failure = failure, Message = message, Issuer = issuer };
}
