using System.Text.Json.Nodes;
using Herald.Contracts.Output;
using Herald.Contracts.Patients;
using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Tests.Support;
using static Herald.Tests.Cli.CliRunner;

namespace Herald.Tests.Cli;

/// <summary>
/// The text and Markdown answers: alerts first, the summary on the first screen, seed case 2 in at most half of its
/// former 374 lines with nothing of substance lost, and trial evidence attributed to the regimen it tested.
/// </summary>
public sealed class RecommendTextTests : IDisposable
{
    /// <summary>The text answer for seed case 2 before it was reorganised: 374 lines.</summary>
    private const int FormerSeedCase2Lines = 374;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Seed case 2 and variants that raise critical and warning alerts, blocking requests and many exclusions.</summary>
    public static TheoryData<string> Cases => new() { "seed case 2", "LVEF 35%", "HER2 unknown", "HER2-negative", "brain metastases", "paclitaxel allergy" };

    private string File(string name)
    {
        JsonObject Example(string file) => JsonNode.Parse(System.IO.File.ReadAllText(CliRunner.Example(file)))!.AsObject();
        var patient = name switch
        {
            "seed case 2" => Example("seed-case-2.json"),
            "LVEF 35%" => With(Example("seed-case-2.json"), "lvef", new JsonObject { ["percent"] = 35, ["date"] = "2020-10-01" }),
            "HER2 unknown" => With(Example("first-line-de-novo-hr-positive.json"), "receptors", new JsonObject { ["er"] = "positive", ["pr"] = "negative" }),
            "HER2-negative" => With(Example("first-line-de-novo-hr-positive.json"), "receptors", new JsonObject { ["her2"] = new JsonObject { ["status"] = "negative" } }),
            "brain metastases" => Example("brain-metastases-fourth-line.json"),
            _ => With(Example("first-line-de-novo-hr-positive.json"), "allergies", new JsonArray(new JsonObject { ["substance"] = "paclitaxel", ["reaction"] = "anaphylaxis" })),
        };
        return temp.Write(name.Replace(' ', '-') + ".json", patient.ToJsonString());
    }

    private static JsonObject With(JsonObject patient, string field, JsonNode value)
    {
        patient[field] = value;
        return patient;
    }

    private static Decision Decide(string file)
    {
        var kb = TestKnowledge.Kb;
        var read = PatientJsonReader.Read(System.IO.File.ReadAllText(file), kb, Today);
        Assert.True(read.IsValid, read.Describe());
        return new DecisionEngine(kb).Decide(read.Patient, read.AsOf);
    }

    private static int Lines(string output) => output.TrimEnd('\n').Split('\n').Length;

    /// <summary>The text of one section: from its rule to the next rule.</summary>
    private static string Section(string output, string title)
    {
        var start = output.IndexOf("── " + title, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section '{title}'");
        var end = output.IndexOf("\n── ", start + 1, StringComparison.Ordinal);
        return Flatten(output[start..(end < 0 ? output.Length : end)]);
    }

    [Fact]
    public void The_text_answer_for_seed_case_2_is_at_most_half_as_long_as_it_was()
    {
        var result = Run("recommend", Example("seed-case-2.json"));

        Assert.Equal(0, result.ExitCode);
        Assert.True(Lines(result.Out) <= FormerSeedCase2Lines / 2, $"{Lines(result.Out)} lines, more than {FormerSeedCase2Lines / 2}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_text_answer_keeps_every_option_exclusion_blocking_request_and_serious_alert(string name)
    {
        var file = File(name);
        var decision = Decide(file);
        var output = Run("recommend", file).Out;
        var flat = Flatten(output);

        foreach (var option in decision.Recommendations)
        {
            Assert.Contains($"{DecisionView.Rank(option)} {DecisionView.RegimenName(option, decision.Knowledge)}: {option.Preference.Id()}", Section(output, "Ranked options"));
        }

        var excluded = Section(output, "Excluded for this patient");
        foreach (var verdict in decision.Excluded)
        {
            Assert.Contains(DecisionView.RegimenName(verdict, decision.Knowledge), excluded);
            Assert.All(verdict.Reasons, reason => Assert.Contains(Flatten(DecisionText.Reason(reason, decision)), excluded));
        }

        foreach (var item in decision.MissingData.Where(m => m.Blocking))
        {
            Assert.Contains(Flatten($"{item.Field} (BLOCKING: the decision waits for it). {item.Request}"), flat);
        }

        var alerts = Section(output, "Alerts");
        foreach (var alert in decision.Alerts.Where(a => a.Severity >= Severity.Warning))
        {
            Assert.Contains($"{DecisionView.SeverityWord(alert.Severity)} {Flatten(DecisionText.Alert(alert, decision.Facts))}", alerts);
        }

        Assert.True(decision.Recommendations.Count + decision.Excluded.Count + decision.Alerts.Count > 0);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Alerts_come_first_then_the_decision_point_then_the_ranked_options(string name)
    {
        var output = Run("recommend", File(name)).Out;
        var alerts = output.IndexOf("── Alerts", StringComparison.Ordinal);
        var point = output.IndexOf("── Decision point", StringComparison.Ordinal);
        var options = output.IndexOf("── Ranked options", StringComparison.Ordinal);

        Assert.True(alerts >= 0 && alerts < point && point < options, $"alerts at {alerts}, decision point at {point}, options at {options}");
        Assert.Equal(2, output[..alerts].Count(c => c == '\n'));
    }

    [Fact]
    public void A_critical_alert_is_the_first_line_of_the_alerts()
    {
        var output = Run("recommend", File("LVEF 35%")).Out;
        var first = output.Split('\n').SkipWhile(l => !l.StartsWith("── Alerts", StringComparison.Ordinal)).ElementAt(1);

        Assert.StartsWith("  CRITICAL ", first);
    }

    [Fact]
    public void Under_each_option_only_the_trials_of_its_regimen_are_its_evidence_and_the_others_are_cited_by_a_statement()
    {
        var file = File("seed case 2");
        var decision = Decide(file);
        var output = Run("recommend", file).Out;

        foreach (var option in decision.Recommendations)
        {
            var section = Section(output, $"Option {DecisionView.Rank(option)}: {DecisionView.RegimenName(option, decision.Knowledge)}");
            var cited = section.IndexOf("Not trials of this regimen:", StringComparison.Ordinal);
            foreach (var item in option.Evidence())
            {
                if (item.OfThisRegimen)
                {
                    Assert.Contains($"Trial of this regimen: {DecisionView.TrialHeading(item.Trial)}", section);
                }
                else
                {
                    Assert.DoesNotContain($"Trial of this regimen: {item.Trial.Name}", section);
                    Assert.True(cited >= 0 && section.IndexOf(item.Trial.Name, cited, StringComparison.Ordinal) > cited, $"{item.Trial.Name} is not named as cited under {option.Regimen.Id}");
                    Assert.Contains(item.CitedBy[0].Id, section[cited..]);
                }
            }
        }

        // The example the review found: T-DXd was presented as supported by HER2CLIMB and NALA.
        var tdxd = Section(output, "Option 1=: Trastuzumab deruxtecan (T-DXd)");
        Assert.Contains("Trial of this regimen: DESTINY-Breast01", tdxd);
        Assert.DoesNotContain("Trial of this regimen: HER2CLIMB", tdxd);
        Assert.DoesNotContain("Trial of this regimen: NALA", tdxd);
        Assert.Contains("HER2CLIMB (cited by statements", tdxd);
    }

    [Fact]
    public void The_markdown_note_puts_the_alerts_before_the_patient_and_the_decision_point()
    {
        var output = Run("recommend", File("LVEF 35%"), "--format", "markdown").Out;
        var alerts = output.IndexOf("## Alerts\n\n", StringComparison.Ordinal);

        Assert.True(alerts >= 0 && alerts < output.IndexOf("## Patient", StringComparison.Ordinal), "alerts after the patient summary");
        Assert.True(alerts < output.IndexOf("## Decision point", StringComparison.Ordinal));
        Assert.StartsWith("- **CRITICAL** ", output[(alerts + "## Alerts\n\n".Length)..]);
    }

    [Fact]
    public void The_markdown_note_lists_only_the_regimen_s_own_trials_as_its_evidence()
    {
        var output = Run("recommend", File("seed case 2"), "--format", "markdown").Out;
        var start = output.IndexOf("### 1=. Trastuzumab deruxtecan (T-DXd)", StringComparison.Ordinal);
        var tdxd = output[start..output.IndexOf("\n### ", start + 1, StringComparison.Ordinal)];

        Assert.Contains("Trial of this regimen:\n\n- DESTINY-Breast01 (NCT03248492)", tdxd);
        Assert.DoesNotContain("\n- HER2CLIMB", tdxd);
        Assert.DoesNotContain("\n- NALA", tdxd);
        Assert.Contains("Not trials of this regimen: HER2CLIMB (cited by statements panel21-third-line-options", tdxd);
    }
}
