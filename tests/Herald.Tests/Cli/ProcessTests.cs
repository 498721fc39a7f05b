using System.Diagnostics;
using System.Text.Json;
using Herald.Tests.Support;

namespace Herald.Tests.Cli;

/// <summary>The built CLI as a real process, as a user or an integration check runs it.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task The_built_cli_recommends_for_seed_case_2_as_json()
    {
        // The project reference copies herald.dll (and its runtimeconfig) beside the test assembly.
        var dll = Path.Combine(AppContext.BaseDirectory, "herald.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = TestKnowledge.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "recommend", "examples/seed-case-2.json", "--format", "json" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {await error}");
        using var json = JsonDocument.Parse(await output);
        Assert.Equal("seed-case-2", json.RootElement.GetProperty("patientId").GetString());
        Assert.NotEmpty(json.RootElement.GetProperty("recommendations").EnumerateArray());
    }
}
