namespace Herald.Server.Security;

/// <summary>
/// How callers of the CDS Hooks and REST endpoints are authenticated; bound from <c>Herald:Auth</c>
/// (see docs/security.md). The defaults are the embedded local-development setup.
/// </summary>
public sealed class CdsAuthOptions
{
    public const string SectionName = "Herald:Auth";
    public const string LocalDevelopmentMode = "local-development";
    public const string JwtMode = "jwt";

    /// <summary><c>local-development</c> (unauthenticated calls from loopback only) or <c>jwt</c>.</summary>
    public string Mode { get; set; } = LocalDevelopmentMode;

    /// <summary>The CDS clients (EHRs) whose signed JWTs are trusted, each with its own keys.</summary>
    public List<TrustedIssuer> Issuers { get; set; } = [];

    /// <summary>Tolerance for clock differences when checking exp, iat and nbf.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Tokens whose exp lies further than this after iat are refused; this also bounds how long a jti is remembered.</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Longest accepted token, in bytes; longer ones are refused before any parsing.</summary>
    public int MaxTokenBytes { get; set; } = 8 * 1024;

    /// <summary>How long keys fetched from a JWKS URL (or read from a file) are used before they are read again.</summary>
    public TimeSpan JwksCacheLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most one extra JWKS read per issuer in this interval when a token names an unknown kid.</summary>
    public TimeSpan JwksRefreshMinInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time limit for one JWKS download.</summary>
    public TimeSpan JwksFetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many (issuer, jti) pairs are remembered at most; when full, new tokens are refused rather than risk a replay.</summary>
    public int ReplayCacheCapacity { get; set; } = 100_000;

    /// <summary>
    /// The externally visible base URL (scheme, host, port, path base) the EHR calls, e.g.
    /// <c>https://cds.example.org</c>; the expected token audience is built from it. Bound from
    /// <c>Herald:PublicBaseUrl</c>. When empty, the request's own scheme, host and path base are used.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    public bool IsLocalDevelopment => string.Equals(Mode, LocalDevelopmentMode, StringComparison.Ordinal);

    /// <summary>Every configuration fault, in words; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var faults = new List<string>();
        if (Mode is not (LocalDevelopmentMode or JwtMode))
        {
            faults.Add($"{SectionName}:Mode must be '{LocalDevelopmentMode}' or '{JwtMode}', not '{Mode}'.");
        }
        if (Mode == JwtMode && Issuers.Count == 0)
        {
            faults.Add($"{SectionName}:Mode is '{JwtMode}' but no {SectionName}:Issuers are configured; no caller could be accepted.");
        }
        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(5))
        {
            faults.Add($"{SectionName}:ClockSkew must be between 0 and 5 minutes.");
        }
        if (MaxTokenLifetime <= TimeSpan.Zero)
        {
            faults.Add($"{SectionName}:MaxTokenLifetime must be positive.");
        }
        if (MaxTokenBytes is < 256 or > 64 * 1024)
        {
            faults.Add($"{SectionName}:MaxTokenBytes must be between 256 and 65536.");
        }
        if (JwksCacheLifetime <= TimeSpan.Zero || JwksRefreshMinInterval < TimeSpan.Zero || JwksFetchTimeout <= TimeSpan.Zero)
        {
            faults.Add($"{SectionName}: JwksCacheLifetime and JwksFetchTimeout must be positive, JwksRefreshMinInterval not negative.");
        }
        if (ReplayCacheCapacity < 1)
        {
            faults.Add($"{SectionName}:ReplayCacheCapacity must be at least 1.");
        }
        if (!string.IsNullOrWhiteSpace(PublicBaseUrl)
            && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var baseUri)
                || baseUri.Scheme is not ("https" or "http")
                || !string.IsNullOrEmpty(baseUri.Query) || !string.IsNullOrEmpty(baseUri.Fragment)))
        {
            faults.Add($"Herald:PublicBaseUrl must be an absolute http(s) URL without query or fragment, not '{PublicBaseUrl}'.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Issuers.Count; i++)
        {
            var issuer = Issuers[i];
            var where = $"{SectionName}:Issuers:{i}";
            if (string.IsNullOrWhiteSpace(issuer.Issuer))
            {
                faults.Add($"{where}:Issuer is required.");
            }
            else if (issuer.Issuer == LocalDevelopmentPolicy.CallerName)
            {
                faults.Add($"{where}:Issuer may not be '{LocalDevelopmentPolicy.CallerName}'; that name marks unauthenticated local calls.");
            }
            else if (!seen.Add(issuer.Issuer))
            {
                faults.Add($"{where}:Issuer '{issuer.Issuer}' is configured twice.");
            }
            var hasFile = !string.IsNullOrWhiteSpace(issuer.JwksFile);
            var hasUrl = !string.IsNullOrWhiteSpace(issuer.JwksUrl);
            if (hasFile == hasUrl)
            {
                faults.Add($"{where} needs exactly one of JwksFile or JwksUrl.");
            }
            if (hasUrl && !IsAcceptableJwksUrl(issuer.JwksUrl!))
            {
                faults.Add($"{where}:JwksUrl must be an absolute https URL (http is allowed only for loopback hosts), not '{issuer.JwksUrl}'.");
            }
            for (var j = 0; j < issuer.FhirServers.Count; j++)
            {
                if (!IsAcceptableJwksUrl(issuer.FhirServers[j]))
                {
                    faults.Add($"{where}:FhirServers:{j} must be an absolute https URL (http is allowed only for loopback hosts), not '{issuer.FhirServers[j]}'.");
                }
            }
        }
        return faults;
    }

    /// <summary>Keys must travel over TLS; plain http is tolerated only on this machine (tests, a local key server).</summary>
    internal static bool IsAcceptableJwksUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}

/// <summary>One trusted CDS client: its <c>iss</c> value and where its public keys (a JWK Set) are found.</summary>
public sealed class TrustedIssuer
{
    /// <summary>The exact <c>iss</c> claim value the client sends.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>Path of a JWKS file exchanged out of band.</summary>
    public string? JwksFile { get; set; }

    /// <summary>URL of the client's JWKS, fetched by Herald. The token's own <c>jku</c> header is never fetched.</summary>
    public string? JwksUrl { get; set; }

    /// <summary>
    /// The FHIR server base URLs this client may name as <c>fhirServer</c> (a call's <c>fhirServer</c> must be one of
    /// them or under one). Herald calls no other, and sends the <c>fhirAuthorization</c> token to no other.
    /// </summary>
    public List<string> FhirServers { get; set; } = [];
}
