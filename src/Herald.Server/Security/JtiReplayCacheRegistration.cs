using Herald.Audit;

namespace Herald.Server.Security;

public static class JtiReplayCacheRegistration
{
    /// <summary>
    /// When the audit is in PostgreSQL, the jti check goes there too, so replicas that share the audit share it; with
    /// SQLite (one server) it stays in memory. Call before <c>AddCdsAuthentication</c>, which adds the in-memory cache
    /// only when none is registered.
    /// </summary>
    public static IServiceCollection AddJtiReplayCache(this IServiceCollection services, string? auditConnectionString)
    {
        if (AuditStoreFactory.PostgresConnectionString(auditConnectionString) is { } postgres)
        {
            services.AddSingleton<IJtiReplayCache>(provider => new PostgresJtiReplayCache(
                postgres,
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<CdsAuthOptions>().ReplayCacheCapacity,
                provider.GetRequiredService<ILogger<PostgresJtiReplayCache>>()));
        }

        return services;
    }
}
