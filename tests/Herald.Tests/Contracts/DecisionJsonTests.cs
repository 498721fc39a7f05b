using System.Text.Json;
using Herald.Contracts.Output;
using Herald.Contracts.Patients;
using Herald.Core.Decisions;
using Herald.Core.Engine;
using static Herald.Tests.Contracts.PatientJson;

namespace Herald.Tests.Contracts;

public sealed class DecisionJsonTests
{
    private const string DataNeeded = """
        { "id": "no-her2", "assessmentDate": "2024-06-01", "presentation": { "type": "de-novo", "metastaticDiagnosisDate": "2024-05-01" } }
        """;

    private const string OngoingMaintenance = """
        {
          "id": "maintenance",
          "assessmentDate": "2024-06-01",
          "receptors": { "her2": { "ihc": "3+", "specimen": "metastasis" }, "er": "positive", "pr": "positive" },
          "presentation": { "type": "de-novo", "metastaticDiagnosisDate": "2023-06-01" },
          "disease": { "sites": ["bone"], "burden": "low", "symptomatic": false, "extracranialStatus": "responding" },
          "ecog": 0,
          "lvef": { "percent": 58, "date": "2024-05-01", "baselinePercent": 60, "baselineDate": "2023-06-10" },
          "menopausalStatus": "postmenopausal",
          "canTakeOralDrugs": true,
          "metastaticRegimens": [
            { "agents": ["pertuzumab", "trastuzumab", "docetaxel"], "start": "2023-06-15", "bestResponse": "PR", "taxaneStopped": "2023-12-15" }
          ]
        }
        """;

    public static TheoryData<string> Patients => new() { Valid, FirstLine, DataNeeded, OngoingMaintenance };

    private static Decision Decide(string json, bool trace = false)
    {
        var result = Read(json);
        Assert.True(result.IsValid, result.Describe());
        return new DecisionEngine(Kb).Decide(result.Patient, result.AsOf, trace: trace);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Theory]
    [MemberData(nameof(Patients))]
    public void Serializing_the_same_decision_twice_is_byte_identical(string patient)
    {
        var decision = Decide(patient);

        Assert.Equal(DecisionJson.Serialize(decision), DecisionJson.Serialize(decision));
        Assert.Equal(DecisionJson.Serialize(decision), DecisionJson.Serialize(Decide(patient)));
    }

    [Theory]
    [MemberData(nameof(Patients))]
    public void Top_level_properties_are_the_contract_in_order(string patient)
    {
        var root = Parse(DecisionJson.Serialize(Decide(patient)));

        Assert.Equal(
            [
                "knowledgeBaseVersion", "patientId", "asOf", "edition", "editionName", "decisionPoint", "recommendations",
                "excluded", "notIndicated", "missingData", "alerts", "clinicalResistance", "trials", "lines", "history",
            ],
            root.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Header_echoes_the_knowledge_base_patient_and_edition()
    {
        var decision = Decide(FirstLine);
        var root = Parse(DecisionJson.Serialize(decision));

        Assert.Equal(Kb.Version, root.GetProperty("knowledgeBaseVersion").GetString());
        Assert.Equal("first-line", root.GetProperty("patientId").GetString());
        Assert.Equal("2024-06-01", root.GetProperty("asOf").GetString());
        Assert.Equal(Kb.DefaultEdition.Id, root.GetProperty("edition").GetString());
        Assert.Equal(decision.Point.Kind.Id(), root.GetProperty("decisionPoint").GetProperty("kind").GetString());
        Assert.Equal(
            ["kind", "label", "line", "rationale"],
            root.GetProperty("decisionPoint").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void First_line_patient_gets_recommendations_each_backed_by_a_quoted_statement()
    {
        var decision = Decide(FirstLine);
        Assert.Equal(DecisionKind.FirstLine, decision.Point.Kind);
        var recommendations = Parse(DecisionJson.Serialize(decision)).GetProperty("recommendations").EnumerateArray().ToArray();

        Assert.NotEmpty(recommendations);
        foreach (var recommendation in recommendations)
        {
            var statements = recommendation.GetProperty("statements").EnumerateArray().ToArray();
            Assert.Contains(statements, s => !string.IsNullOrWhiteSpace(s.GetProperty("quote").GetString()));
            Assert.Equal(
                ["rank", "tied", "regimen", "preference", "strength", "strengthLabel", "rankedBy", "statements", "evidence", "cautions", "monitoring"],
                recommendation.EnumerateObject().Select(p => p.Name));
        }
    }

    [Theory]
    [MemberData(nameof(Patients))]
    public void Every_recommendation_has_a_statement_with_a_quote(string patient)
    {
        var root = Parse(DecisionJson.Serialize(Decide(patient)));

        foreach (var recommendation in root.GetProperty("recommendations").EnumerateArray())
        {
            Assert.Contains(
                recommendation.GetProperty("statements").EnumerateArray(),
                s => !string.IsNullOrWhiteSpace(s.GetProperty("quote").GetString()));
        }
    }

    [Theory]
    [MemberData(nameof(Patients))]
    public void Evidence_says_whether_it_is_a_trial_of_the_regimen_or_one_a_statement_cites(string patient)
    {
        var decision = Decide(patient);
        var root = Parse(DecisionJson.Serialize(decision));

        var options = root.GetProperty("recommendations").EnumerateArray().ToArray();
        for (var i = 0; i < options.Length; i++)
        {
            var regimen = decision.Recommendations[i].Regimen;
            foreach (var evidence in options[i].GetProperty("evidence").EnumerateArray())
            {
                var trial = Kb.Trials.Single(t => t.Name == evidence.GetProperty("trial").GetString());
                Assert.Equal(regimen.Evidence.Contains(trial) ? "regimen" : "statement", evidence.GetProperty("basis").GetString());

                // citedBy names exactly the supporting statements whose evidence lists the trial.
                var citing = decision.Recommendations[i].Statements.Where(s => s.Statement.Evidence.Contains(trial)).Select(s => s.Statement.Id);
                Assert.Equal(citing, evidence.GetProperty("citedBy").EnumerateArray().Select(e => e.GetString()));
                if (evidence.GetProperty("basis").GetString() == "statement")
                {
                    Assert.NotEqual(0, evidence.GetProperty("citedBy").GetArrayLength());
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Patients))]
    public void Regimen_agents_are_lowercase(string patient)
    {
        var root = Parse(DecisionJson.Serialize(Decide(patient)));
        var regimens = root.GetProperty("recommendations").EnumerateArray()
            .Concat(root.GetProperty("excluded").EnumerateArray())
            .Concat(root.GetProperty("notIndicated").EnumerateArray())
            .Select(r => r.GetProperty("regimen"));

        foreach (var regimen in regimens)
        {
            Assert.Equal(["id", "name", "agents", "codes"], regimen.EnumerateObject().Select(p => p.Name));
            foreach (var agent in regimen.GetProperty("agents").EnumerateArray().Select(a => a.GetString()!))
            {
                Assert.Equal(agent.ToLowerInvariant(), agent);
            }

            foreach (var code in regimen.GetProperty("codes").EnumerateArray())
            {
                Assert.Equal("RxNorm", code.GetProperty("system").GetString());
            }
        }
    }

    [Fact]
    public void Lines_show_how_the_history_was_read()
    {
        var root = Parse(DecisionJson.Serialize(Decide(Valid)));
        var line = Assert.Single(root.GetProperty("lines").EnumerateArray().ToArray());

        Assert.Equal(1, line.GetProperty("number").GetInt32());
        Assert.Equal(["trastuzumab", "pertuzumab", "docetaxel"], line.GetProperty("agents").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("2023-02-01", line.GetProperty("start").GetString());
        Assert.Equal("2024-05-15", line.GetProperty("stop").GetString());
        Assert.False(line.GetProperty("ongoing").GetBoolean());
        Assert.Equal("partial-response", line.GetProperty("bestResponse").GetString());
        Assert.Equal("progression", line.GetProperty("stopReason").GetString());
        Assert.True(line.GetProperty("endedByProgression").GetBoolean());
        Assert.Equal("no", line.GetProperty("progressionAtFirstAssessment").GetString());
        Assert.Equal("2023-08-01", line.GetProperty("taxaneStopped").GetString());
        Assert.True(line.GetProperty("dualAntiHer2").GetBoolean());
    }

    [Fact]
    public void Clinical_resistance_is_always_present()
    {
        var resistance = Parse(DecisionJson.Serialize(Decide(Valid))).GetProperty("clinicalResistance");

        Assert.Equal(["met", "status", "criteria", "consequence"], resistance.EnumerateObject().Select(p => p.Name));
        Assert.False(resistance.GetProperty("met").GetBoolean());
        Assert.Equal(3, resistance.GetProperty("criteria").GetArrayLength());
    }

    [Fact]
    public void Nulls_are_left_out_and_text_is_not_escaped()
    {
        var json = DecisionJson.Serialize(Decide(DataNeeded));

        Assert.DoesNotContain(": null", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", json, StringComparison.Ordinal);
        Assert.False(Parse(json).GetProperty("decisionPoint").TryGetProperty("line", out _));
    }

    [Fact]
    public void Trace_wraps_the_decision_with_every_statement_and_rule()
    {
        var decision = Decide(FirstLine, trace: true);
        var root = Parse(TraceJson.Serialize(decision));

        Assert.Equal(["decision", "statements", "safetyRules"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(DecisionJson.Serialize(decision), JsonSerializer.Serialize(root.GetProperty("decision"), new JsonSerializerOptions
        {
            WriteIndented = true,
            NewLine = "\n",
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
        Assert.Equal(decision.Edition.Statements.Count, root.GetProperty("statements").GetArrayLength());
        Assert.Equal(Kb.SafetyRules.Count, root.GetProperty("safetyRules").GetArrayLength());
        var statuses = new[] { "fired", "superseded", "condition-false", "condition-unknown", "other-setting" };
        foreach (var statement in root.GetProperty("statements").EnumerateArray())
        {
            Assert.Contains(statement.GetProperty("status").GetString(), statuses);
        }

        foreach (var rule in root.GetProperty("safetyRules").EnumerateArray())
        {
            Assert.Contains(rule.GetProperty("value").GetString(), new[] { "true", "false", "unknown" });
            Assert.Equal(["text", "value"], rule.GetProperty("condition").EnumerateObject().Select(p => p.Name).Take(2));
        }

        Assert.Equal(TraceJson.Serialize(decision), TraceJson.Serialize(decision));
    }

    [Fact]
    public void Trace_needs_a_traced_decision()
    {
        Assert.Throws<ArgumentException>(() => TraceJson.Serialize(Decide(FirstLine)));
    }

    [Fact]
    public void Input_errors_serialize_as_path_and_message()
    {
        var result = Read(p => p["ecog"] = 9);
        var root = Parse(InputErrorJson.Serialize(result));

        var error = Assert.Single(root.GetProperty("errors").EnumerateArray().ToArray());
        Assert.Equal("ecog", error.GetProperty("path").GetString());
        Assert.Equal("9 is outside the range 0-4.", error.GetProperty("message").GetString());
    }
}
