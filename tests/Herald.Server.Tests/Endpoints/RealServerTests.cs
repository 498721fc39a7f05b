using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Herald.Server.CdsHooks;

namespace Herald.Server.Tests.Endpoints;

/// <summary>
/// Once against the real server: the built Herald.Server started as its own process on loopback, on its
/// embedded defaults except for a free port and a temporary audit file.
/// </summary>
public sealed partial class RealServerTests
{
    [Fact]
    public async Task The_server_starts_on_loopback_says_so_and_answers_a_CDS_Hooks_call()
    {
        var directory = Directory.CreateTempSubdirectory("herald-real-").FullName;
        var auditFile = Path.Combine(directory, "audit.db");
        using var server = Start($"--Herald:Port=0 --Herald:Audit:SqlitePath={auditFile}");
        var output = new List<string>();
        try
        {
            var baseUrl = await WaitForAddress(server, output);
            Assert.StartsWith("http://127.0.0.1:", baseUrl, StringComparison.Ordinal);

            using var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
            var health = await Http.Body(await client.GetAsync("/health"));
            Assert.Equal("local-development", health["authentication"]!.GetValue<string>());

            var response = await Http.Post(client, "/cds-services/" + CdsServiceCatalog.PatientViewId, FhirExamples.HookRequest("seed-case-1"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains((await Http.Body(response))["cards"]!.AsArray(), c => c!["summary"]!.GetValue<string>().StartsWith("Rank 1", StringComparison.Ordinal));

            Assert.True(File.Exists(auditFile), "the embedded SQLite audit database is created on first start");
            Assert.Contains(output, line => line.Contains("LOCAL-DEVELOPMENT", StringComparison.Ordinal));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Started_from_another_directory_the_server_still_keeps_query_strings_out_of_its_log()
    {
        // No appsettings.json in the working directory: the protective log levels must come from the server itself.
        var directory = Directory.CreateTempSubdirectory("herald-elsewhere-").FullName;
        const string Marker = "PATIENT-MARKER-7731";
        using var server = Start($"--Herald:Port=0 --Herald:Audit:SqlitePath={Path.Combine(directory, "audit.db")}", workingDirectory: directory);
        var output = new List<string>();
        try
        {
            var baseUrl = await WaitForAddress(server, output);
            using var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };

            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/audit?patient={Marker}")).StatusCode);
            var native = await File.ReadAllTextAsync(Path.Combine(Cards.CardTestKit.RepositoryRoot, "examples", "seed-case-1.json"));
            var answer = await client.PostAsync($"/api/recommendations?patient={Marker}", new StringContent(native, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var refused = await client.PostAsync($"/api/recommendations?patient={Marker}", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // The console logger writes from its own queue.
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            output.Add(await server.StandardOutput.ReadToEndAsync());
            output.Add(await server.StandardError.ReadToEndAsync());
            Directory.Delete(directory, recursive: true);
        }

        var log = string.Join('\n', output);
        Assert.Contains("api/recommendations answered 400", log, StringComparison.Ordinal); // Herald's own lines are there...
        Assert.DoesNotContain("answered 200", log, StringComparison.Ordinal); // (answers given are logged at Debug: the audit keeps them)
        Assert.DoesNotContain(Marker, log, StringComparison.Ordinal); // ...and no request URL with its query.
    }

    [Fact]
    public async Task A_second_server_given_a_spool_directory_a_running_one_holds_does_not_start_and_one_started_after_a_kill_does()
    {
        var directory = Directory.CreateTempSubdirectory("herald-spool-").FullName;
        var spool = Path.Combine(directory, "spool");
        using var first = Start($"--Herald:Port=0 --Herald:Audit:SqlitePath={Path.Combine(directory, "first.db")} --Herald:Audit:SpoolDirectory={spool}");
        Process? second = null;
        Process? third = null;
        try
        {
            await WaitForAddress(first, []);

            second = Start($"--Herald:Port=0 --Herald:Audit:SqlitePath={Path.Combine(directory, "second.db")} --Herald:Audit:SpoolDirectory={spool}");
            var errors = second.StandardError.ReadToEndAsync();
            var output = second.StandardOutput.ReadToEndAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                await second.WaitForExitAsync(timeout.Token);
            }

            Assert.Equal(2, second.ExitCode);
            Assert.StartsWith($"Herald did not start: The audit spool directory {spool} is in use by another Herald process (process {first.Id} on ", await errors, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", await errors, StringComparison.Ordinal); // no stack trace for a setting to fix
            Assert.DoesNotContain("listening on", await output, StringComparison.Ordinal);

            // kill -9: the system releases the first server's hold, and a server started on its spool runs.
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
            third = Start($"--Herald:Port=0 --Herald:Audit:SqlitePath={Path.Combine(directory, "first.db")} --Herald:Audit:SpoolDirectory={spool}");
            Assert.StartsWith("http://127.0.0.1:", await WaitForAddress(third, []), StringComparison.Ordinal);
        }
        finally
        {
            // A second server that did start (the check broken) must not outlive the test either.
            foreach (var server in new[] { first, second, third })
            {
                if (server is { HasExited: false })
                {
                    server.Kill(entireProcessTree: true);
                    await server.WaitForExitAsync();
                }
            }

            second?.Dispose();
            third?.Dispose();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Process Start(string arguments, string? workingDirectory = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Herald.Server.dll");
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        info.Environment["DOTNET_NOLOGO"] = "1";
        return Process.Start(info)!;
    }

    private static async Task<string> WaitForAddress(Process server, List<string> output)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await server.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            output.Add(line);
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                // The banner's warnings follow the address; read them before going on.
                while (output.Count < 20 && await ReadLineWithin(server, TimeSpan.FromSeconds(1)) is { } more)
                {
                    output.Add(more);
                }

                return match.Groups[1].Value;
            }
        }

        throw new InvalidOperationException("The server ended before it listened: " + await server.StandardError.ReadToEndAsync());
    }

    private static async Task<string?> ReadLineWithin(Process server, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await server.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
