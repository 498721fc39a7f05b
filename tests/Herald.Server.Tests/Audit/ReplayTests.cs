extern alias cli;

using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Herald.Audit;
using Herald.Audit.Stores;
using Herald.Server.CdsHooks;
using Herald.Server.Endpoints;
using Herald.Server.Pipeline;
using Herald.Server.Tests.Cards;
using Herald.Server.Tests.Endpoints;
using Xunit.Abstractions;
using ExitCodes = cli::Herald.Cli.ExitCodes;
using HeraldCli = cli::Herald.Cli.HeraldCli;

namespace Herald.Server.Tests.Audit;

/// <summary>
/// An audit record keeps what its answer was decided from, so the answer can be derived again and checked against
/// the digest of the bytes sent: every record of a run over the shipped examples replays, each within 8 KB.
/// </summary>
public sealed class ReplayTests(ITestOutputHelper output)
{
    private const int RecordBudgetBytes = 8 * 1024;

    /// <summary>Every shipped example through every endpoint that takes it; the audit ids of the answers.</summary>
    private static async Task<List<(string Call, string AuditId)>> AnswerEveryExampleAsync(HttpClient client)
    {
        var calls = new List<(string, string, string, string)>();
        foreach (var file in Directory.GetFiles(Path.Combine(CardTestKit.RepositoryRoot, "examples"), "*.json").Order(StringComparer.Ordinal))
        {
            calls.Add((Path.GetFileName(file), "/api/recommendations", "application/json", File.ReadAllText(file)));
            calls.Add((Path.GetFileName(file), "/api/comparison", "application/json", File.ReadAllText(file)));
        }

        foreach (var file in Directory.GetFiles(FhirExamples.Directory, "*.bundle.json").Order(StringComparer.Ordinal))
        {
            calls.Add((Path.GetFileName(file), "/api/recommendations", "application/fhir+json", File.ReadAllText(file)));
            calls.Add((Path.GetFileName(file), "/api/comparison", "application/fhir+json", File.ReadAllText(file)));
            calls.Add((Path.GetFileName(file), $"/fhir/PlanDefinition/{ApplyEndpoints.PlanDefinitionId}/$apply", "application/fhir+json", File.ReadAllText(file)));
        }

        foreach (var file in Directory.GetFiles(FhirExamples.Directory, "*.cds-hooks.json").Order(StringComparer.Ordinal))
        {
            var hook = JsonNode.Parse(File.ReadAllText(file))!["hook"]!.GetValue<string>();
            var service = hook == CdsServiceCatalog.OrderSignHook ? CdsServiceCatalog.OrderSignId : CdsServiceCatalog.PatientViewId;
            calls.Add((Path.GetFileName(file), "/cds-services/" + service, "application/json", File.ReadAllText(file)));
        }

        var ids = new List<(string, string)>();
        foreach (var (name, path, mediaType, body) in calls)
        {
            var response = await client.PostAsync(path, Http.Json(body, mediaType));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name} to {path}: {(int)response.StatusCode}");
            ids.Add(($"{name} to {path}", response.Headers.GetValues("X-Herald-Audit-Id").Single()));
        }

        return ids;
    }

    [Fact]
    public async Task Every_record_of_a_run_over_the_shipped_examples_replays_byte_for_byte_and_fits_in_8_KB()
    {
        // A day after every example's assessment date.
        using var host = new HeraldHost(new DateOnly(2026, 11, 21));
        var store = Assert.IsType<SqliteAuditStore>(host.Service<IAuditStore>());
        var knowledge = host.Service<Herald.Core.Knowledge.KnowledgeBase>();

        var answered = await AnswerEveryExampleAsync(host.CreateClient());

        var sizes = new List<int>();
        foreach (var (call, id) in answered)
        {
            var entry = await store.FindAsync(Guid.Parse(id));
            Assert.NotNull(entry);
            var result = await AnswerReplay.ReplayAsync(entry.Record, knowledge);
            Assert.True(result.Verdict == ReplayVerdict.Reproduced, $"{call}: {result.Verdict}");
            var size = AuditRecordSize.Of(entry.Record);
            output.WriteLine($"{size,6} bytes  {entry.Record.CardIds.Count,2} cards  {call}");
            Assert.True(size <= RecordBudgetBytes, $"{call}: {size} bytes");
            sizes.Add(size);
        }

        sizes.Sort();
        output.WriteLine($"{sizes.Count} records; median {sizes[sizes.Count / 2]} bytes, max {sizes[^1]} bytes");
    }

    [Fact]
    public async Task The_command_line_replays_a_record_from_the_database_and_says_it_reproduced()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-2"));
        var response = await Http.Post(host.CreateClient(), "/cds-services/" + CdsServiceCatalog.PatientViewId, FhirExamples.HookRequest("seed-case-2"));
        var id = response.Headers.GetValues("X-Herald-Audit-Id").Single();
        var database = Assert.IsType<SqliteAuditStore>(host.Service<IAuditStore>()).DatabasePath;

        var (exit, text, error) = Cli("audit", "replay", id, "--connection", $"Data Source={database}", "--show-answer");

        Assert.True(exit == ExitCodes.Success, text + error);
        Assert.Contains("Reproduced", text, StringComparison.Ordinal);
        Assert.Contains(AuditDigest.Of(await response.Content.ReadAsByteArrayAsync()), text, StringComparison.Ordinal);
        Assert.Contains(await response.Content.ReadAsStringAsync(), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_replay_byte_for_byte_in_another_process()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-2"));
        var client = host.CreateClient();
        var bundle = FhirExamples.Bundle("seed-case-2");
        var calls = new[]
        {
            await Http.Post(client, "/cds-services/" + CdsServiceCatalog.PatientViewId, FhirExamples.HookRequest("seed-case-2")),
            await Http.Post(client, $"/fhir/PlanDefinition/{ApplyEndpoints.PlanDefinitionId}/$apply", bundle, mediaType: "application/fhir+json"),
            await Http.Post(client, "/api/comparison", bundle, mediaType: "application/fhir+json"),
        };
        var database = Assert.IsType<SqliteAuditStore>(host.Service<IAuditStore>()).DatabasePath;

        foreach (var call in calls)
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
            var id = call.Headers.GetValues("X-Herald-Audit-Id").Single();

            // A fresh process: its own string hashing, its own knowledge load, its own clock.
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
                "dotnet", [Path.Combine(AppContext.BaseDirectory, "herald.dll"), "audit", "replay", id, "--connection", $"Data Source={database}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var said = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.True(process.ExitCode == ExitCodes.Success, $"{call.RequestMessage!.RequestUri}: exit {process.ExitCode}\n{said}{error}");
            Assert.Contains("Reproduced", said, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_record_made_with_another_knowledge_base_version_does_not_reproduce_and_says_which_version_made_it()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var response = await Http.Post(host.CreateClient(), "/api/recommendations", JsonNode.Parse(CardTestKit.Example("seed-case-1.json"))!);
        var id = response.Headers.GetValues("X-Herald-Audit-Id").Single();
        var database = Assert.IsType<SqliteAuditStore>(host.Service<IAuditStore>()).DatabasePath;
        var made = host.Service<Herald.Core.Knowledge.KnowledgeBase>().Version;
        using var temp = new AuditTempDirectory();
        var changed = CopyKnowledge(temp.Path);
        var editions = Path.Combine(changed, "editions.yaml");
        var text = File.ReadAllText(editions);
        var bumped = new Regex($"^version: {Regex.Escape(made)}$", RegexOptions.Multiline).Replace(text, "version: 2099.1.0", 1);
        Assert.NotEqual(text, bumped);
        File.WriteAllText(editions, bumped);

        var (exit, said, error) = Cli("audit", "replay", id, "--connection", $"Data Source={database}", "--knowledge", changed);

        Assert.True(exit == ExitCodes.NotReproduced, said + error);
        Assert.Contains($"Not reproduced: the answer was made with knowledge-base version {made}; the current version, 2099.1.0", said, StringComparison.Ordinal);

        // With the knowledge base it was made with, the same record reproduces.
        Assert.Equal(ExitCodes.Success, Cli("audit", "replay", id, "--connection", $"Data Source={database}").Exit);
    }

    [Fact]
    public async Task A_CDS_Hooks_answer_decided_from_fhirServer_replays_from_what_was_read_without_the_network_and_without_the_token()
    {
        const string Token = "ehr-access-token-that-must-not-be-kept";
        var example = FhirExamples.HookRequest("seed-case-1");
        var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        string id;
        SqliteAuditStore store;
        await using (var fhir = await FakeFhirServer.StartAsync(example["prefetch"]!.AsObject(), requiredToken: Token))
        {
            var request = example.DeepClone().AsObject();
            request.Remove("prefetch");
            request["fhirServer"] = fhir.BaseUrl;
            request["fhirAuthorization"] = new JsonObject { ["access_token"] = Token, ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = "patient/*.read", ["subject"] = "herald" };
            var response = await Http.Post(host.CreateClient(), "/cds-services/" + CdsServiceCatalog.PatientViewId, request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(9, fhir.Requests.Count); // every template, laboratoryObservations included
            id = response.Headers.GetValues("X-Herald-Audit-Id").Single();
            store = Assert.IsType<SqliteAuditStore>(host.Service<IAuditStore>());
        }

        // The FHIR server is gone: the replay uses what the record says it gave.
        var entry = (await store.FindAsync(Guid.Parse(id)))!;
        var input = AuditInput.Decode(entry.Record.Input!);
        Assert.Equal(9, input.Fetched.Count);
        Assert.True(input.Redacted);
        Assert.DoesNotContain(Token, System.Text.Encoding.UTF8.GetString(input.Body), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, await File.ReadAllTextAsync(store.DatabasePath + "-wal").ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : ""), StringComparison.Ordinal);

        var result = await AnswerReplay.ReplayAsync(entry.Record, host.Service<Herald.Core.Knowledge.KnowledgeBase>());

        Assert.Equal(ReplayVerdict.Reproduced, result.Verdict);
        host.Dispose();
    }

    [Theory]
    [InlineData("/cds-services/" + CdsServiceCatalog.PatientViewId, "text/plain", "{}", 415)]
    [InlineData("/cds-services/" + CdsServiceCatalog.PatientViewId, "application/json", """{ "hook": "patient-view", "hook": "x" }""", 400)]
    [InlineData("/api/recommendations", "application/fhir+json", """{ "resourceType": "Bundle", "resourceType": "Bundle" }""", 400)]
    [InlineData("/api/recommendations", "text/plain", "{}", 415)]
    [InlineData("/api/recommendations", "application/json", """{ "id": "x", "age": "old" }""", 400)]
    public async Task A_refused_call_replays_byte_for_byte_too(string path, string mediaType, string body, int status)
    {
        using var host = new HeraldHost(new DateOnly(2026, 11, 21));
        var store = Assert.IsType<SqliteAuditStore>(host.Service<IAuditStore>());

        var response = await host.CreateClient().PostAsync(path, Http.Json(body, mediaType));

        Assert.Equal(status, (int)response.StatusCode);
        var entry = await store.FindAsync(Guid.Parse(response.Headers.GetValues("X-Herald-Audit-Id").Single()));
        Assert.NotNull(entry);
        var result = await AnswerReplay.ReplayAsync(entry.Record, host.Service<Herald.Core.Knowledge.KnowledgeBase>());
        Assert.Equal(ReplayVerdict.Reproduced, result.Verdict);
    }

    [Fact]
    public async Task A_record_whose_stored_input_was_altered_does_not_replay()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var response = await Http.Post(host.CreateClient(), "/api/recommendations", JsonNode.Parse(CardTestKit.Example("seed-case-1.json"))!);
        var store = Assert.IsType<SqliteAuditStore>(host.Service<IAuditStore>());
        var record = (await store.FindAsync(Guid.Parse(response.Headers.GetValues("X-Herald-Audit-Id").Single())))!.Record;
        var input = AuditInput.Decode(record.Input!);
        var altered = record with { Input = (input with { Body = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(input.Body).Replace("2", "3", StringComparison.Ordinal)) }).Encode() };

        var result = await AnswerReplay.ReplayAsync(altered, host.Service<Herald.Core.Knowledge.KnowledgeBase>());

        Assert.Equal(ReplayVerdict.InputAltered, result.Verdict);
    }

    private static (int Exit, string Out, string Error) Cli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = HeraldCli.Run(args, stdout, stderr, () => new DateOnly(2026, 11, 21));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string CopyKnowledge(string into)
    {
        var source = Path.Combine(CardTestKit.RepositoryRoot, "knowledge");
        var target = Path.Combine(into, "knowledge");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }
}
