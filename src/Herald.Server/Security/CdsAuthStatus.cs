namespace Herald.Server.Security;

/// <summary>What the server reports about authentication: the mode (for /health) and the lines to print loudly at start.</summary>
public sealed class CdsAuthStatus(CdsAuthOptions options)
{
    /// <summary>"local-development" or "jwt".</summary>
    public string Mode => options.Mode;

    public int TrustedIssuerCount => options.Issuers.Count;

    /// <summary>The local-development banner (when on), then any other configuration worth a warning; each entry one line.</summary>
    public IReadOnlyList<string> StartupWarnings()
    {
        var lines = new List<string>();
        if (LocalDevelopmentPolicy.StartupWarning(options) is { } banner)
        {
            lines.AddRange(banner.Split('\n'));
        }
        else
        {
            lines.Add($"Authentication: CDS Hooks JWT (RS384/ES384), {options.Issuers.Count} trusted issuer(s).");
        }
        if (!options.IsLocalDevelopment && string.IsNullOrWhiteSpace(options.PublicBaseUrl))
        {
            lines.Add("WARNING: Herald:PublicBaseUrl is not set; token audiences are checked against each request's own scheme and host, "
                + "which is wrong behind a TLS-terminating proxy. Set it to the URL the EHR calls.");
        }
        return lines;
    }
}
