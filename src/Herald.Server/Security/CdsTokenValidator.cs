using System.Text;
using System.Text.Json;

namespace Herald.Server.Security;

/// <summary>
/// Checks the JWT a CDS client sends with each call (HL7 CDS Hooks 2.0, "Trusting CDS Clients"): a JWS signed with
/// RS384 or ES384 by a configured issuer's key, with iss, aud (the service URL), exp, iat and jti, used once.
/// Implemented over the BCL only. The order matters: nothing about the claims is trusted before the signature
/// is verified, and a jti is remembered only after everything else has passed, so forged tokens cannot fill the cache.
/// Outside the CDS Hooks services, a token may instead name Herald's base URL: a session token for the web page, not
/// single-use (see <see cref="CdsAudience.Rule"/>).
/// </summary>
public sealed class CdsTokenValidator(CdsAuthOptions options, IssuerKeyRegistry keys, IJtiReplayCache replays, TimeProvider time) : ICdsTokenValidator
{
    private const string BearerPrefix = "Bearer ";
    private static readonly long MaxNumericDate = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    public bool HasIssuers => keys.HasIssuers;

    /// <summary>
    /// Validates against the route's audience or, where the rule allows one, the session audience (Herald's base URL).
    /// A route token is used once (its jti is remembered); a session token, which a clinician pastes into the page,
    /// serves every call until it expires, and <see cref="CdsAuthOptions.MaxTokenLifetime"/> bounds that.
    /// </summary>
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

        // Compact JWS: header.payload.signature, exactly three parts.
        var firstDot = token.IndexOf('.');
        var lastDot = token.LastIndexOf('.');
        if (firstDot <= 0 || lastDot == firstDot || token.AsSpan(firstDot + 1, lastDot - firstDot - 1).Contains('.'))
        {
            return Malformed("The token is not a compact JWS of three dot-separated parts.");
        }
        var headerPart = token[..firstDot];
        var payloadPart = token[(firstDot + 1)..lastDot];
        var signaturePart = token[(lastDot + 1)..];
        if (!Base64UrlText.TryDecode(headerPart, out var headerBytes)
            || !Base64UrlText.TryDecode(payloadPart, out var payloadBytes)
            || !Base64UrlText.TryDecode(signaturePart, out var signature))
        {
            return Malformed("A part of the token is not base64url.");
        }

        using var header = ParseObject(headerBytes);
        using var payload = ParseObject(payloadBytes);
        if (header is null || payload is null)
        {
            return Malformed("The token's header and payload must each be a JSON object with no repeated names.");
        }

        var headerCheck = CheckHeader(header.RootElement, out var alg, out var kid);
        if (headerCheck is not null)
        {
            return headerCheck;
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
        if (key.VerifiableAlgorithm != alg || (key.Alg is not null && key.Alg != alg))
        {
            return TokenValidationOutcome.Fail(TokenFailure.AlgorithmKeyMismatch,
                $"The token's alg {alg} does not fit the key its kid names.", issuer);
        }
        var signingInput = Encoding.ASCII.GetBytes(token[..lastDot]);
        if (!key.Verify(signingInput, signature))
        {
            return TokenValidationOutcome.Fail(TokenFailure.InvalidSignature, "The token's signature does not verify.", issuer);
        }

        // From here the claims are the issuer's own.
        var now = time.GetUtcNow();
        var skew = options.ClockSkew;
        if (!TryGetNumericDate(claims, "exp", out var exp, out var fault)
            || !TryGetNumericDate(claims, "iat", out var iat, out fault)
            || !TryGetString(claims, "jti", out var jti, out fault)
            || !TryGetOptionalString(claims, "sub", out var subject, out fault)
            || !TryGetOptionalString(claims, "tenant", out var tenant, out fault))
        {
            return fault! with { Issuer = issuer };
        }
        if (!claims.TryGetProperty("aud", out var aud))
        {
            return TokenValidationOutcome.Fail(TokenFailure.MissingClaim, "The token lacks the required claim 'aud'.", issuer);
        }
        if (now >= exp + skew)
        {
            return TokenValidationOutcome.Fail(TokenFailure.Expired, "The token has expired (exp).", issuer);
        }
        if (iat > now + skew)
        {
            return TokenValidationOutcome.Fail(TokenFailure.IssuedInFuture, "The token's iat lies in the future.", issuer);
        }
        if (claims.TryGetProperty("nbf", out _))
        {
            if (!TryGetNumericDate(claims, "nbf", out var nbf, out fault))
            {
                return fault! with { Issuer = issuer };
            }
            if (nbf > now + skew)
            {
                return TokenValidationOutcome.Fail(TokenFailure.NotYetValid, "The token is not valid yet (nbf).", issuer);
            }
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
        if (CheckAudience(aud, audiences.Expected) is { } mismatch)
        {
            // A session token (aud: Herald's base URL, where the route allows one) is not single-use: no jti is kept.
            return audiences.SessionAudience is { } session && CheckAudience(aud, session) is null
                ? TokenValidationOutcome.Valid(issuer!, subject, tenant, jti!, exp)
                : mismatch with { Issuer = issuer };
        }

        switch (await replays.TryRegisterAsync(issuer!, jti!, exp + skew, cancellationToken).ConfigureAwait(false))
        {
            case ReplayCheck.Replayed:
                return TokenValidationOutcome.Fail(TokenFailure.Replayed, "The token's jti was already used.", issuer);
            case ReplayCheck.CacheFull:
                return TokenValidationOutcome.Fail(TokenFailure.ReplayCacheFull, "Too many recent tokens are remembered to accept another now.", issuer);
        }
        return TokenValidationOutcome.Valid(issuer!, subject, tenant, jti!, exp);
    }

    private static TokenValidationOutcome Malformed(string message) =>
        TokenValidationOutcome.Fail(TokenFailure.MalformedToken, message);

    private static TokenValidationOutcome? CheckHeader(JsonElement header, out string? alg, out string? kid)
    {
        kid = null;
        if (!header.TryGetProperty("alg", out var algElement) || algElement.ValueKind != JsonValueKind.String)
        {
            alg = null;
            return TokenValidationOutcome.Fail(TokenFailure.InvalidHeader, "The token header lacks 'alg'.");
        }
        alg = algElement.GetString();
        if (string.Equals(alg, "none", StringComparison.OrdinalIgnoreCase))
        {
            return TokenValidationOutcome.Fail(TokenFailure.AlgorithmNone, "Unsigned tokens (alg 'none') are not accepted.");
        }
        if (alg is not (JwsAlgorithms.RS384 or JwsAlgorithms.ES384))
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
            // RFC 7515 4.1.11: extensions the recipient does not understand make the token invalid.
            return TokenValidationOutcome.Fail(TokenFailure.InvalidHeader, "The token header demands extensions (crit) Herald does not support.");
        }
        kid = kidElement.GetString();
        return null;
    }

    private static TokenValidationOutcome? CheckAudience(JsonElement aud, string expectedAudience)
    {
        var mismatch = TokenValidationOutcome.Fail(TokenFailure.WrongAudience,
            $"The token's audience (aud) is not this service's URL, '{expectedAudience}'.");
        switch (aud.ValueKind)
        {
            case JsonValueKind.String:
                return aud.ValueEquals(expectedAudience) ? null : mismatch;
            case JsonValueKind.Array when aud.GetArrayLength() > 0:
                var found = false;
                foreach (var item in aud.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return TokenValidationOutcome.Fail(TokenFailure.InvalidClaim, "Every aud entry must be a string.");
                    }
                    found |= item.ValueEquals(expectedAudience);
                }
                return found ? null : mismatch;
            default:
                return TokenValidationOutcome.Fail(TokenFailure.InvalidClaim, "The aud claim must be a string or a non-empty array of strings.");
        }
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

    /// <summary>Parses a JSON object, refusing duplicate member names at the top level (they make claims ambiguous).</summary>
    private static JsonDocument? ParseObject(byte[] utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return null;
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return null;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (!names.Add(property.Name))
            {
                document.Dispose();
                return null;
            }
        }
        return document;
    }
}

/// <summary>The audience a route's token must name, and the session audience also accepted there (null: none).</summary>
public sealed record AudienceRule(string Expected, string? SessionAudience);
