using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Security;

public static class CdsAuthenticationServiceCollectionExtensions
{
    /// <summary>
    /// Reads <c>Herald:Auth</c> (and <c>Herald:PublicBaseUrl</c>), refuses to start on an invalid configuration,
    /// and registers the validator, key sources and replay cache. JWKS files are read at start so a bad file stops the server.
    /// </summary>
    public static IServiceCollection AddCdsAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var options = ReadOptions(configuration);
        services.AddSingleton(options);
        services.AddSingleton(new CdsAuthStatus(options));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new IssuerKeyRegistry(options, JwksHttpClient.Create(),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<IssuerKeyRegistry>>()));
        services.TryAddSingleton<IJtiReplayCache>(provider => new JtiReplayCache(provider.GetRequiredService<TimeProvider>(), options.ReplayCacheCapacity));
        services.AddSingleton<ICdsTokenValidator, CdsJwtValidator>();
        services.AddHostedService<JwksFilePreloader>();

        services.AddProblemDetails(); // Refusals are problem documents.

        // Every endpoint needs an authenticated caller unless it is marked .AllowAnonymous(); the scheme runs only there.
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, CdsAuthenticationHandler>(CdsAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().SetFallbackPolicy(
            new AuthorizationPolicyBuilder(CdsAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());
        return services;
    }

    /// <summary>Binds and validates the options; throws with every fault listed.</summary>
    public static CdsAuthOptions ReadOptions(IConfiguration configuration)
    {
        var options = new CdsAuthOptions();
        configuration.GetSection(CdsAuthOptions.SectionName).Bind(options);
        if (string.IsNullOrWhiteSpace(options.PublicBaseUrl))
        {
            options.PublicBaseUrl = configuration["Herald:PublicBaseUrl"];
        }
        var faults = options.Validate();
        if (faults.Count > 0)
        {
            throw new InvalidOperationException("Invalid authentication configuration:\n  " + string.Join("\n  ", faults));
        }
        return options;
    }

    /// <summary>Authentication and authorization; place it after forwarded headers and before the endpoints.</summary>
    public static IApplicationBuilder UseCdsAuthentication(this IApplicationBuilder app) =>
        app.UseAuthentication().UseAuthorization();
}

internal static class JwksHttpClient
{
    /// <summary>No redirects: keys come from the configured URL only. Connections are recycled so DNS changes are seen.</summary>
    public static HttpClient Create() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    });
}

/// <summary>Reads file-based key sets at start so a missing or malformed JWKS file stops the server with its reason.</summary>
internal sealed class JwksFilePreloader(IssuerKeyRegistry registry, CdsAuthOptions options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var files = options.Issuers.Where(issuer => !string.IsNullOrWhiteSpace(issuer.JwksFile)).Select(issuer => issuer.Issuer).ToHashSet();
        foreach (var source in registry.Sources.Where(source => files.Contains(source.Issuer)))
        {
            try
            {
                await source.LoadOrThrowAsync(cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JwksFormatException)
            {
                throw new InvalidOperationException($"Cannot read the JWKS file of issuer '{source.Issuer}' ({source.Location}): {e.Message}", e);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
