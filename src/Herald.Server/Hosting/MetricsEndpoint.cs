using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Herald.Server.Hosting;

/// <summary>
/// <c>GET /metrics</c>: Herald's instruments (<see cref="HeraldMetrics"/>) and ASP.NET Core's request duration histogram,
/// in the Prometheus text format, through OpenTelemetry. Open without a token, since an operations scraper carries no
/// clinician's token; it holds no patient data, and it is meant to be reachable from the operations network only
/// (docs/security.md), which <c>Herald:Metrics:Port</c> can enforce; <c>Herald:Metrics:Enabled=false</c> removes
/// the endpoint and the exporter.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>ASP.NET Core's meter of http.server.request.duration (labelled with the route template, never the path).</summary>
    public const string AspNetCoreHostingMeter = "Microsoft.AspNetCore.Hosting";

    public static void AddHeraldMetrics(this IServiceCollection services, MetricsOptions options)
    {
        // Always there: with no exporter listening, the instruments cost a check and nothing else.
        services.AddSingleton<HeraldMetrics>();
        if (!options.Enabled)
        {
            return;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("herald"))
            .WithMetrics(metrics => metrics
                .AddMeter(HeraldMetrics.MeterName, AspNetCoreHostingMeter)
                .AddPrometheusExporter());
    }

    public static void MapHeraldMetrics(this WebApplication app, MetricsOptions options)
    {
        if (!options.Enabled)
        {
            return;
        }

        if (options.Port is int port)
        {
            // After routing, before the endpoint runs: on any other port the scrape endpoint does not exist.
            app.Use((context, next) =>
                context.Connection.LocalPort != port && context.GetEndpoint()?.Metadata.GetMetadata<ScrapeEndpoint>() is not null
                    ? Problems.Write(context, Problems.Create(context, StatusCodes.Status404NotFound, $"no endpoint at {Path}"))
                    : next(context));
        }

        // Not in the request histogram itself: a scrape every few seconds would crowd the answers' figures.
        app.MapPrometheusScrapingEndpoint(Path).AllowAnonymous().DisableHttpMetrics().WithMetadata(ScrapeEndpoint.Instance);
    }

    /// <summary>Marks the scrape endpoint for the port check.</summary>
    private sealed class ScrapeEndpoint
    {
        public static readonly ScrapeEndpoint Instance = new();
    }
}
