using Herald.Audit;
using Herald.Core.Knowledge;
using Herald.Knowledge;
using Herald.Server.Endpoints;
using Herald.Server.FhirAccess;
using Herald.Server.Page;
using Herald.Server.Pipeline;
using Herald.Server.Security;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Herald.Server.Hosting;

/// <summary>Builds the server: services, limits, error handling, endpoints, and the start-up banner.</summary>
public static class HeraldApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.Sources.Insert(0, LogDefaults.Source());
        var section = builder.Configuration.GetSection(HeraldServerOptions.Section);
        var options = section.Get<HeraldServerOptions>() ?? new HeraldServerOptions();
        if (options.Fhir.Validate() is { Count: > 0 } faults)
        {
            throw new InvalidOperationException("Invalid FHIR client configuration:\n  " + string.Join("\n  ", faults));
        }

        if (options.Audit.Validate() is { Count: > 0 } auditFaults)
        {
            throw new InvalidOperationException("Invalid audit configuration:\n  " + string.Join("\n  ", auditFaults));
        }

        // Listen on loopback at the fixed port unless the operator names URLs (ASPNETCORE_URLS, --urls, Kestrel:Endpoints).
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            kestrel.AddServerHeader = false;
        });

        var services = builder.Services;
        services.Configure<HeraldServerOptions>(section);
        services.TryAddSingletonTimeProvider();
        services.AddSingleton<KnowledgeBase>(_ => KnowledgeLoader.LoadEmbeddedOrThrow());
        services.AddSingleton<DecisionService>();
        services.AddSingleton<AuditRecorder>();
        services.AddSingleton<KnowledgeBrowser>();
        services.AddSingleton<ExampleCatalog>();
        services.AddSingleton<PageAssets>();
        services.AddSingleton<IAuditStore>(provider =>
        {
            var audit = provider.GetRequiredService<IOptions<HeraldServerOptions>>().Value.Audit;
            var connection = audit.ResolveConnectionString(provider.GetRequiredService<IConfiguration>());
            // A held SQLite lock waits no longer than the store timeout: then the records go to the spool.
            return AuditStoreFactory.Create(connection, audit.ResolveSqlitePath(), audit.StoreTimeout);
        });
        services.AddSingleton(provider =>
        {
            var audit = provider.GetRequiredService<IOptions<HeraldServerOptions>>().Value.Audit;
            return new DurableAuditWriter(provider.GetRequiredService<IAuditStore>(), audit.ResolveSpoolDirectory(), audit.Queue, provider.GetRequiredService<TimeProvider>())
            {
                CommitTimed = provider.GetRequiredService<HeraldMetrics>().AuditCommitted,
            };
        });
        services.AddHostedService<AuditSpoolDrainer>();
        services.AddFhirServerClient();
        // Replicas over one PostgreSQL share the single-use jti check there (docs/deployment.md); otherwise it is in memory.
        services.AddJtiReplayCache(options.Audit.ResolveConnectionString(builder.Configuration));
        services.AddCdsAuthentication(builder.Configuration);
        services.AddHeraldMetrics(options.Metrics);

        // One writer for problem documents (Problems): indented, and readable for "≥" and quotes, like every answer.
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.WriteIndented = true;
            json.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteInternalError, StatusCodeSelector = StatusFor });
        app.UseCdsAuthentication();

        HealthEndpoints.Map(app);
        CdsHooksEndpoints.Map(app);
        RecommendationEndpoints.Map(app);
        ApplyEndpoints.Map(app);
        AuditEndpoints.Map(app);
        BrowseEndpoints.Map(app);
        PageEndpoints.Map(app);
        app.MapHeraldMetrics(options.Metrics);
        BenchEndpoints.Map(app);
        // Under the fallback authorization policy too: an unknown path without a token is 401, not 404.
        app.MapFallback((HttpContext context) =>
            TypedResults.Problem(Problems.Create(context, StatusCodes.Status404NotFound, $"no endpoint at {context.Request.Path.ToUriComponent()}")));

        PrepareAuditSchema(app);
        app.Lifetime.ApplicationStarted.Register(() => PrintBanner(app));
        return app;
    }

    // The schema is created or migrated before the first call. If the database is down, the server starts anyway:
    // records wait in the spool and the drainer creates the schema once the database answers (docs/audit.md).
    private static void PrepareAuditSchema(WebApplication app)
    {
        // Outside the try: a spool directory another process holds (AuditSpoolInUseException) stops the start.
        var writer = app.Services.GetRequiredService<DurableAuditWriter>();
        try
        {
            writer.EnsureSchemaAsync().GetAwaiter().GetResult();
        }
        // A database migrated by a newer Herald (InvalidOperationException) stops the start: it must not be written.
        catch (Exception e) when (e is not InvalidOperationException)
        {
            app.Logger.LogWarning("Audit database unreachable at start ({ExceptionType}); records will wait in the spool", e.GetType().Name);
        }
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    // Kestrel's own rejections (an over-long body) keep their status; anything else is a 500 without details.
    private static int StatusFor(Exception exception) =>
        exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;

    private static async Task WriteInternalError(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (exception is BadHttpRequestException bad)
        {
            await Problems.Write(context, Problems.Create(context, bad.StatusCode,
                bad.StatusCode == 413 ? "the body is larger than the server accepts" : "the request is malformed"));
            return;
        }

        // The log gets the exception's type and stack, never its message: messages can quote patient data.
        var log = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Herald.Server");
        log.LogError("Unhandled {ExceptionType} for {Method} {Path} (trace {TraceId}) at {StackTrace}",
            exception?.GetType().FullName, context.Request.Method, context.GetEndpoint()?.DisplayName, context.TraceIdentifier, exception?.StackTrace);
        await Problems.Write(context, Problems.Create(context, StatusCodes.Status500InternalServerError,
            $"Herald could not answer; the server log has the details under trace id {context.TraceIdentifier}"));
    }

    private static void PrintBanner(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<HeraldServerOptions>>().Value;
        var knowledge = app.Services.GetRequiredService<KnowledgeBase>();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var store = app.Services.GetRequiredService<DurableAuditWriter>();
        foreach (var address in addresses)
        {
            Console.WriteLine($"Herald {knowledge.Version} listening on {address}");
        }

        Console.WriteLine($"Audit: {AuditStoreFactory.Describe(store)}");
        foreach (var line in app.Services.GetRequiredService<CdsAuthStatus>().StartupWarnings())
        {
            Console.WriteLine(line);
        }
    }
}
