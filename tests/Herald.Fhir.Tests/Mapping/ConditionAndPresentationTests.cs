using System.Text.Json.Nodes;
using static Herald.Fhir.Tests.Support.FhirTest;

namespace Herald.Fhir.Tests.Mapping;

public sealed class ConditionAndPresentationTests
{
    private static string[] Sites(FhirMappingResult r) => r.Patient["disease"]?["sites"]?.AsArray().Select(s => s!.GetValue<string>()).ToArray() ?? [];

    [Theory]
    [InlineData(Snomed, "94381002", "liver")]
    [InlineData(Snomed, "94391008", "lung")]
    [InlineData(Snomed, "94222008", "bone")]
    [InlineData(Icd10, "C78.01", "lung")]
    [InlineData(Icd10, "C78.2", "pleura")]
    [InlineData(Icd10, "C78.7", "liver")]
    [InlineData(Icd10, "C79.51", "bone")]
    [InlineData(Icd10, "C79.71", "adrenal")]
    [InlineData(Icd10, "C77.3", "lymph-nodes")]
    [InlineData(Icd10, "C79.2", "skin")]
    public void SecondaryCancerCodesGiveSites(string system, string code, string site)
    {
        var result = new Scenario().Without("liver").Add(Condition("met", Concept(system, code), "2019-09-16")).Map();
        Assert.Equal([site], Sites(result));
        Assert.Equal("2019-09-16", result.Patient["presentation"]!["metastaticDiagnosisDate"]!.GetValue<string>());
    }

    [Fact]
    public void BrainMetastasisStatusComesFromADiseaseStatusFocusedOnIt()
    {
        var status = Observation("brain-status", Concept(Loinc, "97509-4"), "2020-05-01", "valueCodeableConcept", Concept(Snomed, "271299001"));
        status["focus"] = new JsonArray(new JsonObject { ["reference"] = $"urn:uuid:{Uuid("brain")}" });
        var extracranial = Observation("body-status", Concept(Loinc, "97509-4"), "2020-05-01", "valueCodeableConcept", Concept(Snomed, "359746009"));
        var with = new Scenario().Add(Condition("brain", Concept(Snomed, "94225005"), "2020-04-01"), status, extracranial).Map();
        Assert.Empty(with.Problems);
        Assert.Equal("progressing", with.Patient["disease"]!["brain"]!["status"]!.GetValue<string>());
        Assert.Equal("stable", with.Patient["disease"]!["extracranialStatus"]!.GetValue<string>());
        Assert.Equal(["liver"], Sites(with));
        Assert.True(ReadNative(with).IsValid, ReadNative(with).Describe());
    }

    [Fact]
    public void BrainMetastasisFirstRecordedNineDaysAgoWithoutAStatusIsReadAsNewAndSaysSo()
    {
        var result = new Scenario().Add(Condition("brain", Concept(Snomed, "94225005", "Secondary malignant neoplasm of brain"), "2020-05-23")).Map(asOf: "2020-06-01");

        Assert.Empty(result.Problems);
        Assert.Equal("new", result.Patient["disease"]!["brain"]!["status"]!.GetValue<string>());
        var inference = Assert.Single(result.Inferences, n => n.Field == "disease.brain.status");
        Assert.Contains("9 days", inference.Text);
        Assert.Contains("8 weeks", inference.Text);
        Assert.Equal("Condition/brain", inference.Source);
    }

    [Fact]
    public void BrainMetastasisRecordedLongAgoWithoutAStatusIsLeftUnknownForTheEngineToAskNotRefused()
    {
        var result = new Scenario().Add(Condition("brain", Concept(Snomed, "94225005", "Secondary malignant neoplasm of brain"), "2020-01-10")).Map(asOf: "2020-06-01");

        Assert.Empty(result.Problems);
        Assert.NotNull(result.Patient["disease"]!["brain"]);
        Assert.Null(result.Patient["disease"]!["brain"]!["status"]);
        Assert.DoesNotContain(result.Inferences, n => n.Field == "disease.brain.status");
        Assert.Contains(result.Notes, n => n.Field == "disease.brain.status" && n.Text.Contains("left unknown"));
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void LeptomeningealByIcd10OrText()
    {
        var byCode = new Scenario().Add(Condition("lm", Concept(Icd10, "C79.32"), "2020-04-01")).Map();
        Assert.True(byCode.Patient["disease"]!["leptomeningeal"]!.GetValue<bool>());
        var byText = new Scenario().Add(Condition("lm", Text("Leptomeningeal carcinomatosis, metastatic breast cancer"), "2020-04-01")).Map();
        Assert.True(byText.Patient["disease"]!["leptomeningeal"]!.GetValue<bool>());
    }

    [Fact]
    public void SecondaryProfileWithBodySiteOrUnmappableSite()
    {
        var withSite = Condition("met", Concept(Snomed, "128462008", "Secondary malignant neoplastic disease"), "2019-09-16", profile: "mcode-secondary-cancer-condition");
        withSite["bodySite"] = new JsonArray(Concept(Snomed, "78904004", "Chest wall structure (body structure)"));
        Assert.Equal(["liver", "chest-wall"], Sites(new Scenario().Add(withSite).Map()));

        var unknown = Condition("met", Concept(Snomed, "128462008", "Secondary malignant neoplastic disease"), "2019-01-01", profile: "mcode-secondary-cancer-condition");
        var result = new Scenario().Add(unknown).Map();
        var unmapped = Assert.Single(result.Unmapped);
        Assert.Equal(("Condition/met", "metastatic site", "128462008"), (unmapped.Resource, unmapped.Concept, unmapped.Code));
        // Not dropped: the earlier metastasis still dates the metastatic diagnosis.
        Assert.Equal("2019-01-01", result.Patient["presentation"]!["metastaticDiagnosisDate"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("233703007", "comorbidities", "interstitial-lung-disease")]
    [InlineData("205237003", "comorbidities", "pneumonitis")]
    [InlineData("84114007", "comorbidities", "heart-failure")]
    [InlineData("49727002", "symptoms", "persistent-cough")]
    [InlineData("267036007", "symptoms", "dyspnoea")]
    [InlineData("386661006", "symptoms", "fever")]
    public void ComorbiditiesAndSymptomsOnlyWhenActiveAndConfirmed(string code, string field, string value)
    {
        var active = new Scenario().Add(Condition("c", Concept(Snomed, code), "2020-01-01")).Map();
        // A symptom comes with its onset ({ symptom, onset }); a comorbidity is a word.
        Assert.Equal([value], active.Patient[field]!.AsArray().Select(v => v is JsonObject o ? o["symptom"]!.GetValue<string>() : v!.GetValue<string>()));

        var resolved = new Scenario().Add(Condition("c", Concept(Snomed, code), "2020-01-01", clinical: "resolved")).Map();
        Assert.Null(resolved.Patient[field]);

        var refuted = Condition("c", Concept(Snomed, code), "2020-01-01");
        refuted["verificationStatus"] = Concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "refuted");
        Assert.Null(new Scenario().Add(refuted).Map().Patient[field]);
    }

    [Fact]
    public void A_cough_condition_gives_the_symptom_with_the_date_it_began()
    {
        var result = new Scenario().Add(Condition("cough", Concept(Snomed, "49727002", "Cough (finding)"), "2020-04-20")).Map();

        var symptom = Assert.IsType<JsonObject>(Assert.Single(result.Patient["symptoms"]!.AsArray()));
        Assert.Equal("persistent-cough", symptom["symptom"]!.GetValue<string>());
        Assert.Equal("2020-04-20", symptom["onset"]!.GetValue<string>());
    }

    // Synthea writes dyspnoea as a Condition "Dyspnea (finding)": a sign of lung toxicity on a conjugate, never dropped.
    [Fact]
    public void A_dyspnea_finding_gives_the_symptom_with_its_onset_and_is_not_dropped_as_a_finding()
    {
        var result = new Scenario().Add(Condition("sob", Concept(Snomed, "267036007", "Dyspnea (finding)"), "2020-04-20")).Map();

        var symptom = Assert.IsType<JsonObject>(Assert.Single(result.Patient["symptoms"]!.AsArray()));
        Assert.Equal("dyspnoea", symptom["symptom"]!.GetValue<string>());
        Assert.Equal("2020-04-20", symptom["onset"]!.GetValue<string>());
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Theory]
    [InlineData("R05.9", "cough")]
    [InlineData("R06.02", "dyspnoea")]
    [InlineData("R06.00", "dyspnoea")]
    [InlineData("R50.9", "fever")]
    public void Icd10_cough_dyspnoea_and_fever_give_the_symptom(string code, string symptom)
    {
        var result = new Scenario().Add(Condition("s", Concept(Icd10, code), "2020-04-20")).Map();

        var written = Assert.IsType<JsonObject>(Assert.Single(result.Patient["symptoms"]!.AsArray()));
        Assert.Equal(symptom, written["symptom"]!.GetValue<string>());
    }

    [Fact]
    public void A_breathlessness_finding_without_a_code_herald_reads_is_shown_not_dropped()
    {
        var result = new Scenario()
            .Add(Condition("sob", Text("Difficulty breathing (finding)"), "2020-04-20"),
                Condition("job", Concept(Snomed, "160903007", "Full-time employment (finding)"), "2010-01-01"))
            .Map();

        Assert.Equal(["Difficulty breathing"], result.Patient["otherComorbidities"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public void CoughObservationCountsAsTheSymptom()
    {
        var result = new Scenario().Add(Observation("cough", Concept(Snomed, "49727002", "Cough"), "2020-05-01", "valueBoolean", true)).Map();
        Assert.Equal("persistent-cough", result.Patient["symptoms"]![0]!.GetValue<string>());
        var absent = new Scenario().Add(Observation("cough", Concept(Snomed, "49727002", "Cough"), "2020-05-01", "valueBoolean", false)).Map();
        Assert.Null(absent.Patient["symptoms"]);
    }

    [Fact]
    public void OtherActiveDisordersAreTextButFindingsAreLeftOut()
    {
        var result = new Scenario()
            .Add(Condition("htn", Concept(Snomed, "59621000", "Essential hypertension (disorder)"), "2010-01-01"),
                Condition("job", Concept(Snomed, "160903007", "Full-time employment (finding)"), "2010-01-01"))
            .Map();
        Assert.Equal(["Essential hypertension"], result.Patient["otherComorbidities"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public void RecurrenceFromEarlyTreatment()
    {
        var result = new Scenario().Map();
        Assert.Equal("recurrence", result.Patient["presentation"]!["type"]!.GetValue<string>());
        Assert.Empty(result.Problems);
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void DeNovoFromAnM1CategoryAtDiagnosis()
    {
        var m1 = Observation("m", Concept(Snomed, "399387003", "cM category"), "2019-09-16", "valueCodeableConcept", Text("cM1"));
        var result = new Scenario()
            .Without("primary").Without("adj-trastuzumab")
            .Add(Condition("primary", Concept(Icd10, "C50.911"), "2019-09-10"), m1)
            .Map();
        Assert.Equal("de-novo", result.Patient["presentation"]!["type"]!.GetValue<string>());
        Assert.Null(result.Patient["earlyDisease"]);
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void MetastasesTwoMonthsAfterDiagnosisWithNoCurativeTreatmentAreReadAsDeNovoAndSaySo()
    {
        var result = new Scenario()
            .Without("primary").Without("adj-trastuzumab")
            .Add(Condition("primary", Concept(Snomed, "254837009"), "2019-07-10"))
            .Map();

        Assert.Empty(result.Problems);
        Assert.Equal("de-novo", result.Patient["presentation"]!["type"]!.GetValue<string>());
        var inference = Assert.Single(result.Inferences, n => n.Field == "presentation.type");
        Assert.Contains("2 months after", inference.Text);
        Assert.Contains("record-de-novo-window-months", inference.Text);
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void BreastSurgeryBeforeTheMetastasesKeepsTheDeNovoInferenceFromBeingMade()
    {
        var surgery = new JsonObject
        {
            ["resourceType"] = "Procedure", ["id"] = "lumpectomy", ["status"] = "completed",
            ["code"] = Concept(Snomed, "392021009", "Lumpectomy of breast"), ["subject"] = PatientRef, ["performedDateTime"] = "2019-08-01",
        };
        var result = new Scenario()
            .Without("primary").Without("adj-trastuzumab")
            .Add(Condition("primary", Concept(Snomed, "254837009"), "2019-07-10"), surgery)
            .Map();

        Assert.Empty(result.Problems);
        Assert.Null(result.Patient["presentation"]!["type"]);
        Assert.Empty(result.Inferences);
    }

    [Fact]
    public void PresentationNeitherStatedNorInferableIsLeftUnknownNotRefused()
    {
        var result = new Scenario()
            .Without("primary").Without("adj-trastuzumab")
            .Add(Condition("primary", Concept(Snomed, "254837009"), "2019-05-01"))
            .Map();

        Assert.Empty(result.Problems);
        Assert.Null(result.Patient["presentation"]!["type"]);
        Assert.Contains(result.Notes, n => n.Field == "presentation.type" && n.Text.Contains("left unknown"));
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void ConflictingPresentationEvidenceIsAProblem()
    {
        var m1 = Observation("m", Concept(Snomed, "399387003"), "2016-01-12", "valueCodeableConcept", Text("cM1"));
        var result = new Scenario().Add(m1).Map();
        Assert.Contains(result.Problems, p => p.Field == "presentation.type" && p.Message.Contains("disagree"));
    }

    [Fact]
    public void NoMetastasisRecordedIsReadAsNotMetastaticAndSaysSo()
    {
        var result = new Scenario().Without("liver").Map();

        Assert.Empty(result.Problems);
        Assert.Equal("not-metastatic", result.Patient["presentation"]!["type"]!.GetValue<string>());
        Assert.Null(result.Patient["metastaticRegimens"]);
        Assert.Contains(result.Inferences, n => n.Field == "presentation.type" && n.Text.StartsWith("Read as not metastatic", StringComparison.Ordinal));
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void AnUndatedMetastasisLeavesTheDiagnosisDateUnknownForTheEngineToAsk()
    {
        var undated = Condition("lung", Concept(Snomed, "94391008", "Secondary malignant neoplasm of lung"), onset: null);
        var result = new Scenario().Without("liver").Add(undated).Map();

        Assert.Empty(result.Problems);
        Assert.Null(result.Patient["presentation"]!["metastaticDiagnosisDate"]);
        Assert.Null(result.Patient["presentation"]!["type"]);
        Assert.Contains(result.Notes, n => n.Field == "presentation.metastaticDiagnosisDate" && n.Text.Contains("not when it was diagnosed"));
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void PatientGivesIdAgeAndSex()
    {
        var patient = new Scenario().Map(asOf: "2020-03-14").Patient;
        Assert.Equal(("p1", 49, "female"), (patient["id"]!.GetValue<string>(), patient["age"]!.GetValue<int>(), patient["sex"]!.GetValue<string>()));
        Assert.Equal(50, new Scenario().Map(asOf: "2020-03-15").Patient["age"]!.GetValue<int>());
    }
}
