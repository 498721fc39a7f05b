using System.Text.Json.Nodes;
using Herald.Core.Engine;
using static Herald.Fhir.Tests.Support.FhirTest;

namespace Herald.Fhir.Tests.Mapping;

/// <summary>
/// What a toxicity stop was (infusion reaction, cardiac, lung), read from statusReason, so the engine's hypersensitivity
/// and cardiac rechallenge rules can be reached from an EHR record.
/// </summary>
public sealed class ToxicityStopTests
{
    /// <summary>Line 1 (trastuzumab, pertuzumab, docetaxel) stopped on 2020-01-15; trastuzumab's record gives the reason.</summary>
    private static Scenario FirstLineStopped(JsonObject trastuzumabReason) => new Scenario()
        .Without("line1-trastuzumab").Without("line1-pertuzumab").Without("line1-docetaxel")
        .Add(Administration("tra", Rx("224905", "trastuzumab"), "2019-10-01", "2020-01-15", status: "stopped", statusReason: trastuzumabReason),
             Administration("per", Rx("1298944", "pertuzumab"), "2019-10-01", "2020-01-15", status: "stopped"),
             Administration("doc", Rx("72962", "docetaxel"), "2019-10-01", "2020-01-15", status: "stopped"));

    private static JsonNode Line(FhirMappingResult result) => result.Patient["metastaticRegimens"]![0]!;

    [Theory]
    [InlineData("Infusion reaction", "infusion-reaction")]
    [InlineData("Infusion-related reaction grade 3", "infusion-reaction")]
    [InlineData("Anaphylaxis", "infusion-reaction")]
    [InlineData("Hypersensitivity reaction", "infusion-reaction")]
    [InlineData("Allergic reaction to trastuzumab", "infusion-reaction")]
    [InlineData("Cardiotoxicity", "cardiac")]
    [InlineData("LVEF decline to 40%", "cardiac")]
    [InlineData("Heart failure", "cardiac")]
    [InlineData("Pneumonitis", "other")]
    [InlineData("Interstitial lung disease", "other")]
    public void A_toxicity_named_in_the_stop_reason_text_gives_the_kind_of_toxicity(string text, string kind)
    {
        var result = FirstLineStopped(Text(text)).Map();

        Assert.Equal("toxicity", Line(result)["stopReason"]!.GetValue<string>());
        Assert.Equal(kind, Line(result)["toxicity"]!.GetValue<string>());
        Assert.Equal(["trastuzumab"], Line(result)["causativeAgents"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void A_coded_adverse_reaction_with_the_words_infusion_reaction_is_an_infusion_reaction()
    {
        var result = FirstLineStopped(Concept(Snomed, "281647001", "Adverse reaction", text: "Infusion-related reaction")).Map();

        Assert.Equal("infusion-reaction", Line(result)["toxicity"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("84114007", "cardiac")]
    [InlineData("205237003", "other")]
    public void A_heart_failure_or_pneumonitis_code_as_the_stop_reason_is_a_toxicity_of_that_kind(string code, string kind)
    {
        var result = FirstLineStopped(Concept(Snomed, code)).Map();

        Assert.Equal("toxicity", Line(result)["stopReason"]!.GetValue<string>());
        Assert.Equal(kind, Line(result)["toxicity"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("No infusion reaction; disease progression")]
    [InlineData("Progression, no cardiotoxicity")]
    public void A_denied_toxicity_gives_no_kind(string text)
    {
        var result = FirstLineStopped(Text(text)).Map();

        Assert.Equal("progression", Line(result)["stopReason"]!.GetValue<string>());
        Assert.Null(Line(result)["toxicity"]);
    }

    [Fact]
    public void A_plain_toxicity_stop_gives_no_kind_rather_than_a_guessed_one()
    {
        var result = FirstLineStopped(Concept(Snomed, "407563006", "Treatment not tolerated")).Map();

        Assert.Equal("toxicity", Line(result)["stopReason"]!.GetValue<string>());
        Assert.Null(Line(result)["toxicity"]);
    }

    [Fact]
    public void Records_that_give_different_toxicities_give_the_most_restrictive_with_a_note()
    {
        var result = new Scenario()
            .Without("line1-trastuzumab").Without("line1-pertuzumab").Without("line1-docetaxel")
            .Add(Administration("tra", Rx("224905", "trastuzumab"), "2019-10-01", "2020-01-15", status: "stopped", statusReason: Text("LVEF decline")),
                 Administration("per", Rx("1298944", "pertuzumab"), "2019-10-01", "2020-01-15", status: "stopped", statusReason: Text("Infusion reaction")))
            .Map();

        Assert.Equal("infusion-reaction", Line(result)["toxicity"]!.GetValue<string>());
        Assert.Contains(result.Notes, n => n.Field == "metastaticRegimens[0].toxicity" && n.Text.Contains("most restrictive"));
    }

    [Fact]
    public void Trastuzumab_stopped_for_an_infusion_reaction_in_the_record_is_the_hypersensitivity_that_rules_out_tdm1_and_tdxd()
    {
        var result = FirstLineStopped(Text("Infusion-related reaction")).Map();

        Assert.True(HypersensitivityAgents(result).Contains(Kb.FindAgent("trastuzumab")!));
    }

    [Fact]
    public void Trastuzumab_stopped_for_a_reason_that_is_not_a_hypersensitivity_is_no_hypersensitivity()
    {
        var result = FirstLineStopped(Text("Disease progression")).Map();

        Assert.Equal(Herald.Core.Knowledge.AgentSet.Empty, HypersensitivityAgents(result));
    }

    [Fact]
    public void An_allergy_recorded_to_trastuzumab_is_a_hypersensitivity_too()
    {
        var allergy = new JsonObject
        {
            ["resourceType"] = "AllergyIntolerance",
            ["id"] = "tra-allergy",
            ["clinicalStatus"] = Concept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active"),
            ["code"] = Rx("224905", "trastuzumab"),
            ["patient"] = PatientRef,
        };
        var result = FirstLineStopped(Text("Disease progression")).Add(allergy).Map();

        Assert.Equal("trastuzumab", result.Patient["allergies"]![0]!["substance"]!.GetValue<string>());
        Assert.True(HypersensitivityAgents(result).Contains(Kb.FindAgent("trastuzumab")!));
    }

    /// <summary>The agents the engine's hypersensitivity fact (the T-DM1 and T-DXd exclusion rules) holds for the mapped patient.</summary>
    private static Herald.Core.Knowledge.AgentSet HypersensitivityAgents(FhirMappingResult result)
    {
        var native = ReadNative(result);
        Assert.True(native.IsValid, native.Describe());
        return PatientFactsBuilder.Build(native.Patient!, D("2020-06-01"), Kb).HypersensitivityAgents;
    }
}
