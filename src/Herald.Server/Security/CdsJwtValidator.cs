using System.Text.Json;
using Herald.Contracts;
using Herald.Server.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Herald.Server.Security;

/// <summary>
/// Checks the JWT a CDS client sends with each call (HL7 CDS Hooks 2.0, "Trusting CDS Clients"). Signature, algorithm,
/// key, issuer, audience and lifetime are checked by Microsoft.IdentityModel's <see cref="JsonWebTokenHandler"/>; Herald
/// keeps only the CDS Hooks rules around it: the header CDS Hooks asks for (RS384 or ES384, typ JWT, a kid, no crit),
/// one meaning per claim (no name given twice), issuer-to-JWKS trust (the library is offered only the key the token's
/// issuer published under its kid, and only if that key may sign with the token's alg), iat not in the future, a
/// lifetime cap, the route's or the session audience, and a single-use jti. Nothing in the claims is believed before
/// the library has verified the signature, and a jti is remembered only when everything else has passed.
/// </summary>
public sealed class CdsJwtValidator(CdsAuthOptions options, IssuerKeyRegistry keys, IJtiReplayCache replays, TimeProvider time) : ICdsTokenValidator
{
    private const string BearerPrefix = "Bearer ";
    private static readonly string[] Algorithms = [JwsAlgorithms.RS384, JwsAlgorithms.ES384];
    private static readonly long MaxNumericDate = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    // Claims keep their JWT names (no mapping to XML claim types); the handler is thread-safe.
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public bool HasIssuers => keys.HasIssuers;

    public async Task<TokenValidationOutcome> ValidateAsync(string? authorizationHeader, AudienceRule audiences, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(authorizationHeader))
        {
            return TokenValidationOutcome.Fail(TokenFailure.MissingToken, "The request has no Authorization header; a Bearer JWT is required.");
        }

        if (!authorizationHeader.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return TokenValidationOutcome.Fail(TokenFailure.MalformedHeader, "The Authorization header must be 'Bearer <JWT>'.");
        }

        var token = authorizationHeader[BearerPrefix.Length..].Trim(' ');
        if (token.Length == 0)
        {
            return TokenValidationOutcome.Fail(TokenFailure.MalformedHeader, "The Authorization header carries no token.");
        }

        if (token.Length > options.MaxTokenBytes)
        {
            return TokenValidationOutcome.Fail(TokenFailure.TokenTooLarge, $"The token is longer than {options.MaxTokenBytes} bytes.");
        }

        if (Read(token) is not var (header, payload))
        {
            return Malformed("The token is not a compact JWS of three base64url parts whose header and payload are JSON objects with no repeated names.");
        }

        using (header)
        using (payload)
        {
            if (CheckHeader(header.RootElement, out var alg, out var kid) is { } headerFault)
            {
                return headerFault;
            }

            var claims = payload.RootElement;
            if (!TryGetString(claims, "iss", out var issuer, out var issuerFault))
            {
                return issuerFault!;
            }

            if (!keys.TryGetSource(issuer!, out var source))
            {
                return TokenValidationOutcome.Fail(TokenFailure.UnknownIssuer, "The token's issuer (iss) is not a trusted CDS client.");
            }

            var lookup = await source.FindAsync(kid!, cancellationToken).ConfigureAwait(false);
            switch (lookup.Status)
            {
                case KeyLookupStatus.KeysUnavailable:
                    return TokenValidationOutcome.Fail(TokenFailure.KeysUnavailable, "The issuer's keys cannot be read at the moment.", issuer);
                case KeyLookupStatus.UnknownKid:
                    return TokenValidationOutcome.Fail(TokenFailure.UnknownKey, "The issuer has no key with the token's kid.", issuer);
            }

            var key = lookup.Key!;
            if (!key.Fits(alg!))
            {
                return TokenValidationOutcome.Fail(TokenFailure.AlgorithmKeyMismatch, $"The token's alg {alg} does not fit the key its kid names.", issuer);
            }

            var result = await Handler.ValidateTokenAsync(token, Parameters(issuer!, key, audiences)).ConfigureAwait(false);
            if (!result.IsValid)
            {
                return Refusal(result.Exception, audiences) with { Issuer = issuer };
            }

            return await CheckCdsHooksClaims(claims, issuer!, audiences, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What the library checks: the signature with this key only, the alg, the issuer, the audiences and exp/nbf.</summary>
    private TokenValidationParameters Parameters(string issuer, JsonWebKey key, AudienceRule audiences) => new()
    {
        ValidIssuer = issuer,
        ValidAudiences = audiences.SessionAudience is { } session ? [audiences.Expected, session] : [audiences.Expected],
        IgnoreTrailingSlashWhenValidatingAudience = false,
        ValidAlgorithms = Algorithms,
        IssuerSigningKeyResolver = (_, _, _, _) => [key.SecurityKey],
        TryAllIssuerSigningKeys = false,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        RequireAudience = true,
        ValidateLifetime = true,
        LifetimeValidator = Lifetime,
        ClockSkew = options.ClockSkew,
    };

    // The library's own lifetime check reads the system clock; this one reads Herald's, with the same skew rules.
    private bool Lifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is not { } exp)
        {
            throw new SecurityTokenNoExpirationException("no exp");
        }

        if (now >= exp + options.ClockSkew)
        {
            throw new SecurityTokenExpiredException("expired") { Expires = exp };
        }

        if (notBefore is { } nbf && nbf > now + options.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("not yet valid") { NotBefore = nbf };
        }

        return true;
    }

    /// <summary>The library's reason in Herald's words and codes; the library's own messages are never passed on.</summary>
    private static TokenValidationOutcome Refusal(Exception? exception, AudienceRule audiences) => exception switch
    {
        SecurityTokenExpiredException => TokenValidationOutcome.Fail(TokenFailure.Expired, "The token has expired (exp)."),
        SecurityTokenNotYetValidException => TokenValidationOutcome.Fail(TokenFailure.NotYetValid, "The token is not valid yet (nbf)."),
        SecurityTokenNoExpirationException => TokenValidationOutcome.Fail(TokenFailure.MissingClaim, "The token lacks the required claim 'exp'."),
        SecurityTokenInvalidLifetimeException => TokenValidationOutcome.Fail(TokenFailure.InvalidClaim, "The token's nbf and exp do not form a lifetime."),
        SecurityTokenInvalidAudienceException => WrongAudience(audiences.Expected),
        SecurityTokenInvalidIssuerException => TokenValidationOutcome.Fail(TokenFailure.UnknownIssuer, "The token's issuer (iss) is not a trusted CDS client."),
        SecurityTokenInvalidAlgorithmException => TokenValidationOutcome.Fail(TokenFailure.UnsupportedAlgorithm, "Only RS384 and ES384 signed tokens are accepted."),
        SecurityTokenSignatureKeyNotFoundException => TokenValidationOutcome.Fail(TokenFailure.UnknownKey, "The issuer has no key with the token's kid."),
        SecurityTokenInvalidSignatureException => TokenValidationOutcome.Fail(TokenFailure.InvalidSignature, "The token's signature does not verify."),
        _ => Malformed("The token's claims could not be read (a claim of the wrong JSON type)."),
    };

    /// <summary>The CDS Hooks rules on verified claims: iat, the lifetime cap, the audience the token was for, and one use.</summary>
    private async Task<TokenValidationOutcome> CheckCdsHooksClaims(JsonElement claims, string issuer, AudienceRule audiences, CancellationToken cancellationToken)
    {
        if (!TryGetNumericDate(claims, "exp", out var exp, out var fault)
            || !TryGetNumericDate(claims, "iat", out var iat, out fault)
            || !TryGetString(claims, "jti", out var jti, out fault)
            || !TryGetOptionalString(claims, "sub", out var subject, out fault)
            || !TryGetOptionalString(claims, "tenant", out var tenant, out fault))
        {
            return fault! with { Issuer = issuer };
        }

        var now = time.GetUtcNow();
        if (iat > now + options.ClockSkew)
        {
            return TokenValidationOutcome.Fail(TokenFailure.IssuedInFuture, "The token's iat lies in the future.", issuer);
        }

        if (exp < iat)
        {
            return TokenValidationOutcome.Fail(TokenFailure.InvalidClaim, "The token's exp is before its iat.", issuer);
        }

        if (exp - iat > options.MaxTokenLifetime)
        {
            return TokenValidationOutcome.Fail(TokenFailure.LifetimeTooLong,
                $"The token's lifetime (exp - iat) exceeds {options.MaxTokenLifetime.TotalSeconds:0} seconds.", issuer);
        }

        // A session token (aud: Herald's base URL, where the route allows one) serves until it expires: no jti is kept.
        if (!Names(claims, audiences.Expected) && audiences.SessionAudience is { } session && Names(claims, session))
        {
            return TokenValidationOutcome.Valid(issuer, subject, tenant, jti!, exp);
        }

        return await replays.TryRegisterAsync(issuer, jti!, exp + options.ClockSkew, cancellationToken).ConfigureAwait(false) switch
        {
            ReplayCheck.Replayed => TokenValidationOutcome.Fail(TokenFailure.Replayed, "The token's jti was already used.", issuer),
            ReplayCheck.CacheFull => TokenValidationOutcome.Fail(TokenFailure.ReplayCacheFull, "Too many recent tokens are remembered to accept another now.", issuer),
            ReplayCheck.Unavailable => TokenValidationOutcome.Fail(TokenFailure.ReplayCacheUnavailable,
                "Whether the token was already used cannot be checked at the moment.", issuer),
            ReplayCheck.FirstUse => TokenValidationOutcome.Valid(issuer, subject, tenant, jti!, exp),
            var other => throw new InvalidOperationException($"Unknown replay check result {other}."),
        };
    }

    private static bool Names(JsonElement claims, string audience) =>
        claims.TryGetProperty("aud", out var aud) && (aud.ValueKind == JsonValueKind.String
            ? aud.ValueEquals(audience)
            : aud.ValueKind == JsonValueKind.Array && aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.ValueEquals(audience)));

    private static TokenValidationOutcome WrongAudience(string expected) =>
        TokenValidationOutcome.Fail(TokenFailure.WrongAudience, $"The token's audience (aud) is not this service's URL, '{expected}'.");

    private static TokenValidationOutcome Malformed(string message) => TokenValidationOutcome.Fail(TokenFailure.MalformedToken, message);

    /// <summary>
    /// The header and payload, each a JSON object in which no name is given twice: the library would take the last of
    /// two iss values, another reader the first, and a token must mean one thing.
    /// </summary>
    private static (JsonDocument Header, JsonDocument Payload)? Read(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0
            || !Base64UrlText.TryDecode(parts[0], out var headerBytes)
            || !Base64UrlText.TryDecode(parts[1], out var payloadBytes)
            || !Base64UrlText.TryDecode(parts[2], out _))
        {
            return null;
        }

        var header = Object(headerBytes);
        var payload = Object(payloadBytes);
        if (header is null || payload is null)
        {
            header?.Dispose();
            payload?.Dispose();
            return null;
        }

        return (header, payload);
    }

    // A JOSE part is JSON without a byte-order mark (RFC 8259 section 8.1): one is malformed, not skipped. The parse is
    // the request body's own strict one, so nothing the screen passes can throw here.
    private static JsonDocument? Object(byte[] utf8)
    {
        if (utf8.AsSpan().StartsWith("\uFEFF"u8) || !RequestBody.TryParse(utf8, out var document, out _))
        {
            return null;
        }

        if (document!.RootElement.ValueKind == JsonValueKind.Object)
        {
            return document;
        }

        document.Dispose();
        return null;
    }

    /// <summary>The JOSE header CDS Hooks asks for: alg RS384 or ES384, typ JWT, a kid, and no extension Herald would ignore.</summary>
    private static TokenValidationOutcome? CheckHeader(JsonElement header, out string? alg, out string? kid)
    {
        kid = null;
        alg = header.TryGetProperty("alg", out var algElement) && algElement.ValueKind == JsonValueKind.String ? algElement.GetString() : null;
        if (alg is null)
        {
            return TokenValidationOutcome.Fail(TokenFailure.InvalidHeader, "The token header lacks 'alg'.");
        }

        if (string.Equals(alg, "none", StringComparison.OrdinalIgnoreCase))
        {
            return TokenValidationOutcome.Fail(TokenFailure.AlgorithmNone, "Unsigned tokens (alg 'none') are not accepted.");
        }

        if (!Algorithms.Contains(alg, StringComparer.Ordinal))
        {
            return TokenValidationOutcome.Fail(TokenFailure.UnsupportedAlgorithm, "Only RS384 and ES384 signed tokens are accepted.");
        }

        if (!header.TryGetProperty("typ", out var typ) || typ.ValueKind != JsonValueKind.String
            || !string.Equals(typ.GetString(), "JWT", StringComparison.OrdinalIgnoreCase))
        {
            return TokenValidationOutcome.Fail(TokenFailure.InvalidHeader, "The token header must have typ 'JWT'.");
        }

        if (!header.TryGetProperty("kid", out var kidElement) || kidElement.ValueKind != JsonValueKind.String
            || string.IsNullOrEmpty(kidElement.GetString()))
        {
            return TokenValidationOutcome.Fail(TokenFailure.InvalidHeader, "The token header lacks 'kid'.");
        }

        if (header.TryGetProperty("crit", out _))
        {
            // RFC 7515 section 4.1.11: extensions the recipient does not understand make the token invalid.
            return TokenValidationOutcome.Fail(TokenFailure.InvalidHeader, "The token header demands extensions (crit) Herald does not support.");
        }

        kid = kidElement.GetString();
        return null;
    }

    private static bool TryGetString(JsonElement claims, string name, out string? value, out TokenValidationOutcome? fault)
    {
        value = null;
        fault = null;
        if (!claims.TryGetProperty(name, out var element))
        {
            fault = TokenValidationOutcome.Fail(TokenFailure.MissingClaim, $"The token lacks the required claim '{name}'.");
            return false;
        }

        if (element.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(element.GetString()))
        {
            fault = TokenValidationOutcome.Fail(TokenFailure.InvalidClaim, $"The claim '{name}' must be a non-empty string.");
            return false;
        }

        value = element.GetString();
        return true;
    }

    private static bool TryGetOptionalString(JsonElement claims, string name, out string? value, out TokenValidationOutcome? fault)
    {
        value = null;
        fault = null;
        if (!claims.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            fault = TokenValidationOutcome.Fail(TokenFailure.InvalidClaim, $"The claim '{name}' must be a string.");
            return false;
        }

        value = element.GetString();
        return true;
    }

    /// <summary>A NumericDate (RFC 7519): seconds since the epoch; fractions are truncated.</summary>
    private static bool TryGetNumericDate(JsonElement claims, string name, out DateTimeOffset value, out TokenValidationOutcome? fault)
    {
        value = default;
        fault = null;
        if (!claims.TryGetProperty(name, out var element))
        {
            fault = TokenValidationOutcome.Fail(TokenFailure.MissingClaim, $"The token lacks the required claim '{name}'.");
            return false;
        }

        long seconds;
        if (element.ValueKind != JsonValueKind.Number)
        {
            seconds = -1;
        }
        else if (!element.TryGetInt64(out seconds))
        {
            seconds = element.TryGetDouble(out var real) && real >= 0 && real <= MaxNumericDate ? (long)Math.Floor(real) : -1;
        }

        if (seconds < 0 || seconds > MaxNumericDate)
        {
            fault = TokenValidationOutcome.Fail(TokenFailure.InvalidClaim, $"The claim '{name}' must be a number of seconds since 1970.");
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
