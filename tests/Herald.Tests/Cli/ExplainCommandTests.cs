using System.Text.Json;
using static Herald.Tests.Cli.CliRunner;

namespace Herald.Tests.Cli;

/// <summary><c>herald explain</c>: every statement and safety rule as evaluated.</summary>
public sealed class ExplainCommandTests : IDisposable
{
    private const string Leptomeningeal = """
        {
          "id": "leptomeningeal",
          "assessmentDate": "2026-01-15",
          "receptors": { "her2": { "ihc": "3+" }, "er": "negative", "pr": "negative" },
          "presentation": { "type": "de-novo", "metastaticDiagnosisDate": "2024-01-10" },
          "disease": { "sites": ["liver"], "leptomeningeal": true, "extracranialStatus": "progressing" },
          "metastaticRegimens": [
            { "agents": ["pertuzumab", "trastuzumab", "docetaxel"], "start": "2024-01-20", "stop": "2025-10-01", "stopReason": "progression" }
          ]
        }
        """;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void The_trace_shows_each_status_including_superseded_for_a_leptomeningeal_patient()
    {
        var file = temp.Write("leptomeningeal.json", Leptomeningeal);

        var result = Run("explain", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("[superseded by panel21-leptomeningeal-no-trials] asco14-leptomeningeal-not-addressed", result.Out);
        Assert.Contains("[fired] panel21-leptomeningeal-no-trials", result.Out);
        Assert.Contains("[condition false] ", result.Out);
        Assert.Contains("[other setting: first-line] ", result.Out);
        Assert.Contains("when leptomeningeal-disease = true (patient: leptomeningeal disease)", result.Out);
        Assert.DoesNotContain('\u001b', result.Out);
    }

    [Fact]
    public void The_trace_shows_condition_trees_with_the_patients_values_and_every_safety_rule()
    {
        var result = Run("explain", Example("seed-case-1.json"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\u2514\u2500\u2500 received(trastuzumab-emtansine) = true (patient: received trastuzumab emtansine)", result.Out);
        Assert.Contains("[true] respiratory-symptoms-weigh-against-trastuzumab-deruxtecan", result.Out);
        Assert.Contains("hit: trastuzumab-deruxtecan", result.Out);
        Assert.Contains("Result", result.Out);
        Assert.Contains("Tucatinib + trastuzumab + capecitabine", result.Out);
    }

    [Fact]
    public void The_json_trace_carries_the_statuses()
    {
        var file = temp.Write("leptomeningeal.json", Leptomeningeal);

        var result = Run("explain", file, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var statements = json.RootElement.GetProperty("statements").EnumerateArray().ToArray();
        var superseded = statements.Single(s => s.GetProperty("id").GetString() == "asco14-leptomeningeal-not-addressed");
        Assert.Equal("superseded", superseded.GetProperty("status").GetString());
        Assert.Equal("panel21-leptomeningeal-no-trials", superseded.GetProperty("supersededBy").GetString());
        Assert.NotEmpty(json.RootElement.GetProperty("safetyRules").EnumerateArray());
    }

    [Fact]
    public void Markdown_is_not_a_format_of_explain()
    {
        Assert.Equal(2, Run("explain", Example("seed-case-1.json"), "--format", "markdown").ExitCode);
    }
}
