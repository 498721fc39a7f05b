using Microsoft.AspNetCore.Http;

namespace Herald.Server.Security;

/// <summary>Who made an authenticated call: the token's issuer (or "local-development"), its sub and tenant.</summary>
public sealed record CallerIdentity(string Caller, string? Subject, string? Tenant)
{
    public static CallerIdentity LocalDevelopment { get; } = new(LocalDevelopmentPolicy.CallerName, null, null);
}

public static class CallerIdentityHttpContextExtensions
{
    private static readonly object ItemKey = new();

    /// <summary>The caller authenticated by <see cref="CdsAuthenticationMiddleware"/>; null on open routes (discovery, health).</summary>
    public static CallerIdentity? GetCaller(this HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var value) ? value as CallerIdentity : null;

    internal static void SetCaller(this HttpContext context, CallerIdentity caller) => context.Items[ItemKey] = caller;
}
