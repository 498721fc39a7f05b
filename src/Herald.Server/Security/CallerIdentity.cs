using Microsoft.AspNetCore.Http;

namespace Herald.Server.Security;

/// <summary>Who made an authenticated call: the token's issuer (or "local-development"), its sub and tenant.</summary>
public sealed record CallerIdentity(string Caller, string? Subject, string? Tenant)
{
    public static CallerIdentity LocalDevelopment { get; } = new(LocalDevelopmentPolicy.CallerName, null, null);
}

public static class CallerIdentityHttpContextExtensions
{
    /// <summary>The caller <see cref="CdsAuthenticationHandler"/> authenticated; null on open routes (discovery, health, the page).</summary>
    public static CallerIdentity? GetCaller(this HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, AuthenticationType: CdsAuthenticationHandler.SchemeName }
        && context.User.FindFirst(CdsAuthenticationHandler.CallerClaim)?.Value is { } caller
            ? new CallerIdentity(caller, context.User.FindFirst(CdsAuthenticationHandler.SubjectClaim)?.Value,
                context.User.FindFirst(CdsAuthenticationHandler.TenantClaim)?.Value)
            : null;
}
