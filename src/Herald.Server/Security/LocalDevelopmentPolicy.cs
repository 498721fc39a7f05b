using System.Net;

namespace Herald.Server.Security;

public enum LocalAccessDecision
{
    /// <summary>Let the call through without a token; the caller is recorded as "local-development".</summary>
    AllowAsLocalDevelopment,
    /// <summary>Check the Bearer token.</summary>
    ValidateToken,
    /// <summary>Refuse: no usable token and not a call from this machine.</summary>
    Refuse,
}

/// <summary>
/// The embedded default: a developer runs Herald on their own machine with no EHR keys. Unauthenticated calls are
/// then accepted only when they come from loopback and did not pass through a proxy (which would make every remote
/// caller look local). A token that is sent is still checked whenever issuers are configured.
/// </summary>
public static class LocalDevelopmentPolicy
{
    public const string CallerName = "local-development";

    public static LocalAccessDecision Decide(CdsAuthOptions options, IPAddress? remoteAddress, bool cameThroughProxy,
        bool hasAuthorizationHeader, bool issuersConfigured)
    {
        if (!options.IsLocalDevelopment)
        {
            return LocalAccessDecision.ValidateToken;
        }
        if (hasAuthorizationHeader && issuersConfigured)
        {
            return LocalAccessDecision.ValidateToken;
        }
        if (IsLoopback(remoteAddress) && !cameThroughProxy)
        {
            return LocalAccessDecision.AllowAsLocalDevelopment;
        }
        return issuersConfigured ? LocalAccessDecision.ValidateToken : LocalAccessDecision.Refuse;
    }

    /// <summary>127.0.0.0/8, ::1 and IPv4-mapped ::ffff:127.x (IPAddress.IsLoopback maps those); an unknown address is not loopback.</summary>
    public static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);

    /// <summary>The text to print at start, prominently, when local-development mode is on; null otherwise.</summary>
    public static string? StartupWarning(CdsAuthOptions options) => !options.IsLocalDevelopment ? null :
        $"""
        ************************************************************************************
        WARNING: Herald is running in LOCAL-DEVELOPMENT authentication mode.
        Calls from this machine (loopback) are accepted WITHOUT a signed JWT and recorded
        as caller "{CallerName}". Calls from any other address are refused unless they
        carry a valid token from a configured issuer ({options.Issuers.Count} configured).
        Do not use this mode with real patient data or behind a reverse proxy.
        For an EHR, set {CdsAuthOptions.SectionName}:Mode=jwt and configure {CdsAuthOptions.SectionName}:Issuers
        (see docs/security.md).
        ************************************************************************************
        """;
}
