namespace Herald.Server.Security;

/// <summary>
/// Whether Herald may send a caller's <c>fhirAuthorization</c> token, and its own requests, to the <c>fhirServer</c> a
/// CDS Hooks call names. The URL comes from the request body, so without a check any caller with a valid token could
/// make Herald call hosts of its choosing inside the hospital's network (server-side request forgery) and learn from
/// the 412 text what answered. With signed tokens, only the FHIR servers listed for the token's issuer are called.
/// </summary>
public static class FhirServerTrust
{
    public const string ReasonUntrusted = "untrusted-fhir-server";

    /// <summary>Null when <paramref name="fhirServer"/> may be called for <paramref name="caller"/>; else why not.</summary>
    public static string? Refusal(CdsAuthOptions options, string? caller, string fhirServer)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(fhirServer, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
        {
            return "fhirServer is not an absolute http(s) URL";
        }

        // Local development accepts calls from this machine only; the developer's own FHIR server may be anywhere.
        if (options.IsLocalDevelopment)
        {
            return null;
        }

        var issuer = options.Issuers.FirstOrDefault(i => string.Equals(i.Issuer, caller, StringComparison.Ordinal));
        if (issuer is null || issuer.FhirServers.Count == 0)
        {
            return "no FHIR server is configured for this caller's issuer (Herald:Auth:Issuers:N:FhirServers), so fhirServer was not called";
        }

        if (server.Scheme != Uri.UriSchemeHttps && !server.IsLoopback)
        {
            return "fhirServer must be an https URL; the access token is not sent in the clear";
        }

        return issuer.FhirServers.Any(allowed => IsUnder(server, allowed))
            ? null
            : "fhirServer is not among the FHIR servers configured for this caller's issuer, so it was not called";
    }

    /// <summary>Same scheme, host and port, and the configured path a prefix of the request's at a segment boundary.</summary>
    internal static bool IsUnder(Uri server, string allowed)
    {
        if (!Uri.TryCreate(allowed, UriKind.Absolute, out var root))
        {
            return false;
        }
        if (Uri.Compare(server, root, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return false;
        }
        var rootPath = root.AbsolutePath.TrimEnd('/') + "/";
        var serverPath = server.AbsolutePath.TrimEnd('/') + "/";
        return serverPath.StartsWith(rootPath, StringComparison.Ordinal);
    }
}
