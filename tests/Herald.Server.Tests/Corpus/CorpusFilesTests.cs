using System.Text.Json.Nodes;
using Herald.Server.CdsHooks;

namespace Herald.Server.Tests.Corpus;

/// <summary>The corpus is well formed: every case has its files, they parse, and stored hook requests are what an EHR sends.</summary>
public sealed class CorpusFilesTests(CorpusServer server) : IClassFixture<CorpusServer>
{
    [Fact]
    public void Every_case_directory_has_a_record_or_hook_request_a_native_twin_and_a_case_file_that_parse()
    {
        var problems = new List<string>();
        var ids = CorpusCase.Ids();
        foreach (var id in ids)
        {
            var own = new List<string>();
            CorpusCase.TryLoad(id, own);
            problems.AddRange(own.Select(p => $"{id}: {p}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(ids.Count >= 40, $"the corpus holds {ids.Count} cases; the issue asks for at least 40");
    }

    [Fact]
    public void A_case_translated_from_a_public_example_names_its_repository_paths_and_commit()
    {
        var sources = CorpusCase.Ids()
            .Select(id => (id, Source: JsonNode.Parse(File.ReadAllText(Path.Combine(CorpusCase.Root, id, CorpusCase.CaseFile)))!["source"]))
            .Where(x => x.Source is not null)
            .ToList();

        Assert.All(sources, x => Assert.True(
            x.Source!["repository"] is JsonValue && x.Source["commit"]?.GetValue<string>() is { Length: 40 } && (x.Source["paths"] ?? x.Source["path"]) is not null,
            $"{x.id}: case.json source needs repository, path(s) and the full commit"));
        Assert.Contains(sources, x => x.Source!["repository"]!.GetValue<string>() == "HL7/fhir-mCODE-ig");
    }

    [Fact]
    public async Task A_stored_hook_request_holds_only_what_the_discovery_templates_ask_an_EHR_for()
    {
        var templates = (await server.PatientViewTemplates()).ToDictionary(t => t.Key, t => t.Value);
        var problems = new List<string>();
        foreach (var c in CorpusCase.Ids().Select(CorpusCase.Load).Where(c => c.HookRequest is not null))
        {
            var prefetch = c.HookRequest!["prefetch"]!.AsObject();
            problems.AddRange(prefetch.Select(p => p.Key).Except(templates.Keys).Select(k => $"{c.Id}: prefetch key '{k}' is not a discovery template"));
            var codes = Codes(templates["observations"]);
            foreach (var entry in prefetch["observations"]?["entry"] as JsonArray ?? [])
            {
                var coding = entry!["resource"]!["code"]!["coding"] as JsonArray ?? [];
                if (!coding.Any(x => codes.Contains($"{x!["system"]}|{x["code"]}")))
                {
                    problems.Add($"{c.Id}: observation {entry["resource"]!["id"]} is not selected by the observations template");
                }
            }

            foreach (var entry in prefetch[CdsServiceCatalog.LaboratoryObservationsKey]?["entry"] as JsonArray ?? [])
            {
                var categories = (entry!["resource"]!["category"] as JsonArray ?? []).SelectMany(x => x!["coding"] as JsonArray ?? []);
                if (!categories.Any(x => x!["code"]?.GetValue<string>() == "laboratory"))
                {
                    problems.Add($"{c.Id}: observation {entry["resource"]!["id"]} is not selected by the laboratory template");
                }
            }

            var patient = $"Patient/{c.PatientId}";
            problems.AddRange(prefetch.Where(p => p.Value?["resourceType"]?.GetValue<string>() == "Bundle")
                .SelectMany(p => (p.Value!["entry"] as JsonArray ?? []).Select(e => (p.Key, Resource: e!["resource"]!)))
                .Where(x => ((x.Resource["subject"] ?? x.Resource["patient"])?["reference"]?.GetValue<string>()) != patient)
                .Select(x => $"{c.Id}: {x.Key} holds {x.Resource["resourceType"]}/{x.Resource["id"]}, not of {patient}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static HashSet<string> Codes(string template)
    {
        var query = template[(template.IndexOf('?', StringComparison.Ordinal) + 1)..];
        var code = query.Split('&').Single(p => p.StartsWith("code=", StringComparison.Ordinal))["code=".Length..];
        return [.. Uri.UnescapeDataString(code).Split(',')];
    }
}
