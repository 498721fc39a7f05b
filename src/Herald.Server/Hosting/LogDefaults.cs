using Microsoft.Extensions.Configuration.Memory;

namespace Herald.Server.Hosting;

/// <summary>
/// The log levels that keep patient data out of the log, as the lowest-precedence configuration source: they hold
/// wherever the process is started from (appsettings.json is read from the working directory, which may have none),
/// and appsettings.json, environment variables or arguments can still change them.
/// </summary>
internal static class LogDefaults
{
    /// <summary>
    /// ASP.NET Core's request logging at Information writes each request's URL with its query string, which may name a
    /// patient (<c>/audit?patient=…</c>); at Warning it does not. The FHIR client's per-request lines carry the search
    /// query (a patient id) too.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> Levels = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
    };

    public static MemoryConfigurationSource Source() => new() { InitialData = Levels };
}
