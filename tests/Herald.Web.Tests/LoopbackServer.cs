using Herald.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Web.Tests;

/// <summary>
/// The real Herald server in-process on Kestrel, on a free loopback port, with its own SQLite audit file and spool in
/// <c>directory</c> and local-development authentication unless <c>settings</c> (command-line arguments, applied
/// after the defaults) say otherwise. Shared by the browser tests and the page benchmark.
/// </summary>
public static class LoopbackServer
{
    public static async Task<(WebApplication App, string BaseUrl)> StartAsync(string directory, IReadOnlyList<string>? settings = null)
    {
        var app = HeraldApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Herald:Auth:Mode=local-development",
            $"--Herald:Audit:SqlitePath={Path.Combine(directory, "audit.db")}",
            $"--Herald:Audit:SpoolDirectory={Path.Combine(directory, "spool")}",
            "--Logging:LogLevel:Default=Warning",
            .. settings ?? [],
        ]);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var baseUrl = addresses.FirstOrDefault(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))?.TrimEnd('/')
            ?? throw new InvalidOperationException("the server did not report a loopback address: " + string.Join(", ", addresses));
        return (app, baseUrl);
    }
}
