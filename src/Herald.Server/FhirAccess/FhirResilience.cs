using Herald.Server.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Herald.Server.FhirAccess;

/// <summary>
/// Timeouts and retries of every request to an EHR's FHIR server, as the HttpClient's resilience handler
/// (Microsoft.Extensions.Http.Resilience): a total timeout around the retries around a per-attempt timeout, from
/// <see cref="FhirClientOptions"/>. No circuit breaker or rate limiter: one client serves every EHR's server, and one
/// failing server must not stop calls to the others.
/// </summary>
public static class FhirResilience
{
    public const string HandlerName = "fhir-server";

    /// <summary>The client Herald reads FHIR servers with; redirects are not followed, so the token goes nowhere else.</summary>
    public static IHttpClientBuilder AddFhirServerClient(this IServiceCollection services) =>
        services.AddHttpClient<FhirServerClient>()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddResilienceHandlerFromOptions();

    private static IHttpClientBuilder AddResilienceHandlerFromOptions(this IHttpClientBuilder client)
    {
        client.AddResilienceHandler(HandlerName, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<HeraldServerOptions>>().Value.Fhir;
            pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "total", Timeout = options.TotalTimeout });
            if (options.Retries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    // Retries HttpRequestException, attempt timeouts, 408, 429 and 5xx (the package's transient faults).
                    MaxRetryAttempts = options.Retries,
                    Delay = TimeSpan.FromMilliseconds(200),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                });
            }

            pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout });
        });
        return client;
    }
}
