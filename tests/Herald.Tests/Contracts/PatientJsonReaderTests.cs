using System.Text.Json.Nodes;
using Herald.Contracts.Patients;
using Herald.Core.Knowledge;
using Herald.Core.Patients;
using static Herald.Tests.Contracts.PatientJson;

namespace Herald.Tests.Contracts;

public sealed class PatientJsonReaderTests
{
    private static void AssertError(PatientReadResult result, string path, string? fragment = null)
    {
        Assert.Null(result.Patient);
        Assert.False(result.IsValid);
        var error = result.Errors.FirstOrDefault(e => e.Path == path);
        Assert.True(error is not null, $"Expected an error at {path}; got:\n{result.Describe()}");
        if (fragment is not null)
        {
            Assert.Contains(fragment, error!.Message, StringComparison.Ordinal);
        }
    }

    // ---- Valid input ----

    [Fact]
    public void Valid_patient_reads_without_errors()
    {
        var result = Read(Valid);

        Assert.True(result.IsValid, result.Describe());
        Assert.Empty(result.Errors);
        var patient = result.Patient;
        Assert.Equal("contract-test", patient.Id);
        Assert.Equal(new DateOnly(2024, 6, 1), result.AsOf);
        Assert.Equal(IhcScore.ThreePlus, patient.Receptors.Her2!.Ihc);
        Assert.Equal(PresentationType.Recurrence, patient.Presentation.Type);
        Assert.Equal([MetastaticSite.Liver, MetastaticSite.Bone], patient.Disease.Sites);
        Assert.Equal(Comorbidities.Diabetes, patient.Comorbidities);
        Assert.Equal(AvoidPreferences.Alopecia, patient.Preferences.Avoid);
        var regimen = Assert.Single(patient.MetastaticRegimens);
        Assert.Equal(Response.PartialResponse, regimen.BestResponse);
        Assert.Equal(StopReason.Progression, regimen.StopReason);
        Assert.Equal(3, regimen.Agents.Count);
        Assert.Single(patient.EarlyDisease!.Regimens);
    }

    [Fact]
    public void Missing_optional_data_is_not_an_error()
    {
        var result = Read("""{ "id": "minimal", "presentation": { "type": "de-novo", "metastaticDiagnosisDate": "2024-01-01" } }""");

        Assert.True(result.IsValid, result.Describe());
        Assert.Equal(Today, result.AsOf);
        Assert.Null(result.Patient.Receptors.Her2);
        Assert.Null(result.Patient.Lvef);
        Assert.False(result.Patient.Disease.Leptomeningeal);
        Assert.Empty(result.Patient.MetastaticRegimens);
        Assert.Null(result.Patient.EarlyDisease);
    }

    [Fact]
    public void Agent_aliases_resolve_case_insensitively()
    {
        var result = Read(p =>
        {
            p.Regimen()["agents"] = Node("""["T-DM1"]""");
            p.Regimen().Remove("taxaneStopped");
        });

        Assert.True(result.IsValid, result.Describe());
        var agents = result.Patient.MetastaticRegimens[0].Agents;
        Assert.Equal(["trastuzumab emtansine"], Kb.AgentNames(agents));
    }

    [Fact]
    public void Response_abbreviations_are_accepted()
    {
        var result = Read(p => p.Regimen()["bestResponse"] = "SD");

        Assert.True(result.IsValid, result.Describe());
        Assert.Equal(Response.StableDisease, result.Patient.MetastaticRegimens[0].BestResponse);
    }

    [Fact]
    public void Group_allergy_maps_to_every_member()
    {
        var result = Read(p => p["allergies"] = Node("""[{ "substance": "Taxane", "reaction": "anaphylaxis" }]"""));

        Assert.True(result.IsValid, result.Describe());
        var allergy = Assert.Single(result.Patient.Intolerances);
        Assert.Equal(IntoleranceKind.Allergy, allergy.Kind);
        Assert.True(allergy.IsGroup);
        Assert.Equal("Taxane", allergy.Substance);
        Assert.Equal("anaphylaxis", allergy.Reaction);
        Assert.Equal(Kb.Taxanes, allergy.Agents);
        Assert.Equal(["docetaxel", "paclitaxel", "nab-paclitaxel"], Kb.AgentNames(allergy.Agents));
    }

    [Fact]
    public void Group_contraindication_and_agent_allergy_map()
    {
        var result = Read(p =>
        {
            p["contraindications"] = Node("""[{ "substance": "chemotherapy", "reason": "frailty" }]""");
            p["allergies"] = Node("""[{ "substance": "docetaxel" }]""");
        });

        Assert.True(result.IsValid, result.Describe());
        var allergy = result.Patient.Intolerances.Single(i => i.Kind == IntoleranceKind.Allergy);
        Assert.False(allergy.IsGroup);
        Assert.Equal(["docetaxel"], Kb.AgentNames(allergy.Agents));
        var contraindication = result.Patient.Intolerances.Single(i => i.Kind == IntoleranceKind.Contraindication);
        Assert.True(contraindication.IsGroup);
        Assert.Equal(Kb.Chemotherapy, contraindication.Agents);
        Assert.Equal("frailty", contraindication.Reaction);
    }

    [Fact]
    public void Ongoing_regimen_may_have_progressed_at_first_assessment_when_progressing_now()
    {
        var result = Read(p =>
        {
            var regimen = p.Regimen();
            regimen.Remove("stop");
            regimen.Remove("stopReason");
            regimen["progressionAtFirstAssessment"] = true;
        });

        Assert.True(result.IsValid, result.Describe());
    }

    // ---- Document-level problems ----

    [Fact]
    public void Json_syntax_error_is_one_error_with_line_and_position()
    {
        var result = Read("{\n  \"id\": \"x\",\n  \"age\": ,\n}");

        var error = Assert.Single(result.Errors);
        Assert.Null(result.Patient);
        Assert.Equal("$", error.Path);
        Assert.Contains("not valid JSON at line 3, position", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Root_must_be_an_object()
    {
        AssertError(Read("[1, 2]"), "$", "must be an object, not an array");
    }

    [Fact]
    public void Unknown_property_is_reported_with_a_suggestion()
    {
        var result = Read(p =>
        {
            p.Obj("receptors.her2")["ishratio"] = 2.5;
            p["weight"] = 70;
        });

        AssertError(result, "receptors.her2.ishratio", "is not a known property here; did you mean 'ishRatio'?");
        AssertError(result, "weight", "is not a known property here (accepted: id, assessmentDate,");
    }

    [Fact]
    public void Unknown_property_in_an_array_item_names_the_item()
    {
        AssertError(Read(p => p.Regimen()["dose"] = "standard"), "metastaticRegimens[0].dose", "is not a known property");
    }

    [Fact]
    public void Duplicate_property_is_an_error()
    {
        AssertError(Read("""{ "id": "a", "id": "b", "presentation": { "type": "de-novo", "metastaticDiagnosisDate": "2024-01-01" } }"""), "id", "more than once");
    }

    [Fact]
    public void Wrong_json_type_is_an_error()
    {
        var result = Read(p =>
        {
            p["age"] = "54";
            p["canTakeOralDrugs"] = "yes";
            p["disease"] = Node("[]");
        });

        AssertError(result, "age", "must be a whole number, not the string '54'.");
        AssertError(result, "canTakeOralDrugs", "must be true or false");
        AssertError(result, "disease", "must be an object, not an array.");
    }

    [Fact]
    public void Null_is_not_a_value()
    {
        AssertError(Read(p => p["ecog"] = null), "ecog", "not null");
    }

    [Fact]
    public void Required_properties_are_reported()
    {
        var result = Read(p =>
        {
            p.Remove("id");
            p.Obj("lvef").Remove("date");
            p.Regimen().Remove("start");
            p["allergies"] = Node("""[{ "reaction": "rash" }]""");
        });

        AssertError(result, "id", "is required.");
        AssertError(result, "lvef.date", "is required.");
        AssertError(result, "metastaticRegimens[0].start", "is required.");
        AssertError(result, "allergies[0].substance", "is required.");
    }

    [Fact]
    public void Facts_the_record_does_not_give_are_read_as_unknown_not_refused()
    {
        // Missing data is not an error: the engine asks for it and withholds only what it changes.
        var result = Read("""{ "id": "x", "disease": { "brain": { "lesionCount": 2 } } }""");
        Assert.True(result.IsValid, result.Describe());
        Assert.Equal(Presentation.Unknown, result.Patient!.Presentation);
        Assert.Null(result.Patient.Disease.Brain!.Status);
    }

    [Fact]
    public void Not_metastatic_with_metastatic_facts_contradicts_itself()
    {
        var result = Read("""
            { "id": "x", "presentation": { "type": "not-metastatic", "metastaticDiagnosisDate": "2024-01-01" },
              "disease": { "sites": ["liver"] },
              "metastaticRegimens": [{ "agents": ["trastuzumab"], "start": "2024-01-10" }] }
            """);
        AssertError(result, "presentation.metastaticDiagnosisDate", "'not-metastatic'");
        AssertError(result, "disease", "'not-metastatic'");
        AssertError(result, "metastaticRegimens", "'not-metastatic'");
    }

    [Fact]
    public void Empty_id_is_an_error()
    {
        AssertError(Read(p => p["id"] = "  "), "id", "must not be empty");
    }

    // ---- Values ----

    [Fact]
    public void Enum_value_lists_the_allowed_ones()
    {
        var result = Read(p =>
        {
            p.Obj("receptors.her2")["ihc"] = "5+";
            p["sex"] = "Female";
        });

        AssertError(result, "receptors.her2.ihc", "'5+' is not one of 0, 1+, 2+, 3+.");
        AssertError(result, "sex", "'Female' is not one of female, male, other; did you mean 'female'?");
    }

    [Fact]
    public void Enum_with_aliases_lists_them()
    {
        AssertError(
            Read(p => p.Regimen()["bestResponse"] = "partial"),
            "metastaticRegimens[0].bestResponse",
            "is not one of complete-response, partial-response, stable-disease, progressive-disease (or CR, PR, SD, PD).");
    }

    [Fact]
    public void Duplicate_enum_in_a_list_is_an_error()
    {
        AssertError(Read(p => p.Obj("disease")["sites"] = Node("""["liver", "bone", "liver"]""")), "disease.sites[2]", "more than once");
    }

    [Theory]
    [InlineData("lvef", "percent", 150, "150 is outside the range 1-100.")]
    [InlineData("lvef", "baselinePercent", 0, "0 is outside the range 1-100.")]
    [InlineData("", "ecog", 5, "5 is outside the range 0-4.")]
    [InlineData("", "age", 121, "121 is outside the range 0-120.")]
    public void Out_of_range_number_is_an_error(string parent, string name, int value, string message)
    {
        var result = Read(p => (parent.Length == 0 ? p : p.Obj(parent))[name] = value);

        AssertError(result, parent.Length == 0 ? name : $"{parent}.{name}", message);
    }

    [Fact]
    public void Brain_ranges_are_checked()
    {
        var result = Read(p => p.Obj("disease")["brain"] = Node("""{ "status": "new", "lesionCount": 0, "largestLesionMm": 301 }"""));

        AssertError(result, "disease.brain.lesionCount", "outside the range 1-1000");
        AssertError(result, "disease.brain.largestLesionMm", "outside the range 1-300");
    }

    [Fact]
    public void Fractional_integer_is_an_error()
    {
        AssertError(Read(p => p["age"] = 54.5), "age", "54.5 is not a whole number.");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(50.5)]
    public void Ish_ratio_must_be_positive_and_at_most_50(double ratio)
    {
        AssertError(Read(p => p.Obj("receptors.her2")["ishRatio"] = ratio), "receptors.her2.ishRatio", "more than 0 and at most 50");
    }

    [Theory]
    [InlineData("2023-02-30", "is not a calendar date")]
    [InlineData("2023/02/01", "is not a date in the form YYYY-MM-DD")]
    [InlineData("2023-2-1", "is not a date in the form YYYY-MM-DD")]
    [InlineData("2023-02-01T00:00:00", "is not a date in the form YYYY-MM-DD")]
    public void Malformed_date_is_an_error(string date, string message)
    {
        AssertError(Read(p => p.Regimen()["start"] = date), "metastaticRegimens[0].start", message);
    }

    [Fact]
    public void Date_after_the_assessment_date_is_an_error()
    {
        AssertError(Read(p => p.Obj("lvef")["date"] = "2024-06-02"), "lvef.date", "2024-06-02 is after the assessment date 2024-06-01.");
    }

    [Fact]
    public void Assessment_date_defaults_to_today_and_bounds_the_other_dates()
    {
        var result = Read(p =>
        {
            p.Remove("assessmentDate");
            p.Obj("receptors.her2")["date"] = "2024-07-02";
        });

        Assert.Equal(Today, result.AsOf);
        AssertError(result, "receptors.her2.date", "is after the assessment date 2024-07-01.");
    }

    [Fact]
    public void Assessment_date_after_today_is_an_error()
    {
        AssertError(Read(p => p["assessmentDate"] = "2024-07-02"), "assessmentDate", "is after today (2024-07-01)");
    }

    // ---- Agents ----

    [Fact]
    public void Unknown_agent_suggests_the_closest_name()
    {
        AssertError(
            Read(p => p.Regimen()["agents"] = Node("""["pertuzumab", "trastuzamab"]""")),
            "metastaticRegimens[0].agents[1]",
            "'trastuzamab' is not a known agent; did you mean 'trastuzumab'?");
    }

    [Fact]
    public void Unknown_agent_far_from_any_name_has_no_suggestion()
    {
        var result = Read(p => p["unavailableDrugs"] = Node("""["aspirin-xyz"]"""));

        AssertError(result, "unavailableDrugs[0]", "'aspirin-xyz' is not a known agent.");
        Assert.DoesNotContain("did you mean", result.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_allergy_substance_suggests_groups_too()
    {
        AssertError(Read(p => p["allergies"] = Node("""[{ "substance": "taxanes" }]""")), "allergies[0].substance", "'taxanes' is not a known agent or group of agents; did you mean 'taxane'?");
    }

    [Fact]
    public void Group_outside_allergies_and_contraindications_is_an_error()
    {
        var result = Read(p =>
        {
            p.Regimen()["agents"] = Node("""["pertuzumab", "trastuzumab", "taxane"]""");
            p["preferences"] = Node("""{ "declines": ["chemotherapy"] }""");
        });

        AssertError(result, "metastaticRegimens[0].agents[2]", "name a specific agent, not the group 'taxane'.");
        AssertError(result, "preferences.declines[0]", "not the group 'chemotherapy'");
    }

    [Fact]
    public void Duplicate_agent_in_a_list_is_an_error_even_through_an_alias()
    {
        AssertError(
            Read(p => p.Regimen()["agents"] = Node("""["trastuzumab-emtansine", "T-DM1"]""")),
            "metastaticRegimens[0].agents[1]",
            "lists trastuzumab emtansine a second time");
    }

    [Fact]
    public void Regimen_needs_at_least_one_agent()
    {
        AssertError(Read(p => p.Regimen()["agents"] = Node("[]")), "metastaticRegimens[0].agents", "must name at least one agent.");
    }

    // ---- Metastatic regimens ----

    [Fact]
    public void Stop_before_start_is_an_error()
    {
        AssertError(
            Read(p => p.Regimen()["stop"] = "2023-01-20"),
            "metastaticRegimens[0].stop",
            "2023-01-20 is before the start 2023-02-01.");
    }

    [Fact]
    public void Stop_without_stop_reason_is_an_error()
    {
        AssertError(Read(p => p.Regimen().Remove("stopReason")), "metastaticRegimens[0].stopReason", "is required when a stop date is given");
    }

    [Fact]
    public void Stop_reason_without_stop_is_an_error()
    {
        AssertError(Read(p => p.Regimen().Remove("stop")), "metastaticRegimens[0].stopReason", "the regimen has no stop date");
    }

    [Fact]
    public void Progression_at_first_assessment_needs_a_progression()
    {
        AssertError(
            Read(p =>
            {
                p.Regimen()["stopReason"] = "toxicity";
                p.Regimen()["progressionAtFirstAssessment"] = true;
            }),
            "metastaticRegimens[0].progressionAtFirstAssessment",
            "stopped for 'toxicity', not progression");
    }

    [Fact]
    public void Progression_at_first_assessment_on_an_ongoing_regimen_needs_progressing_disease()
    {
        AssertError(
            Read(p =>
            {
                p.Regimen().Remove("stop");
                p.Regimen().Remove("stopReason");
                p.Regimen()["progressionAtFirstAssessment"] = true;
                p.Obj("disease")["extracranialStatus"] = "stable";
            }),
            "metastaticRegimens[0].progressionAtFirstAssessment",
            "disease.extracranialStatus is not 'progressing'");
    }

    [Fact]
    public void Taxane_stopped_needs_a_taxane()
    {
        AssertError(
            Read(p => p.Regimen()["agents"] = Node("""["pertuzumab", "trastuzumab"]""")),
            "metastaticRegimens[0].taxaneStopped",
            "the regimen has no taxane");
    }

    [Theory]
    [InlineData("2023-01-31", "is before the regimen's start 2023-02-01")]
    [InlineData("2024-05-16", "is after the regimen's stop 2024-05-15")]
    public void Taxane_stopped_must_fall_within_the_regimen(string date, string message)
    {
        AssertError(Read(p => p.Regimen()["taxaneStopped"] = date), "metastaticRegimens[0].taxaneStopped", message);
    }

    [Fact]
    public void Causative_agents_need_a_toxicity_stop()
    {
        AssertError(
            Read(p => p.Regimen()["causativeAgents"] = Node("""["docetaxel"]""")),
            "metastaticRegimens[0].causativeAgents",
            "only when stopReason is 'toxicity'");
    }

    [Fact]
    public void Causative_agents_must_belong_to_the_regimen()
    {
        var result = Read(p =>
        {
            p.Regimen()["stopReason"] = "toxicity";
            p.Regimen()["causativeAgents"] = Node("""["docetaxel", "lapatinib"]""");
        });

        AssertError(result, "metastaticRegimens[0].causativeAgents[1]", "lapatinib is not one of this regimen's agents.");
        Assert.DoesNotContain(result.Errors, e => e.Path == "metastaticRegimens[0].causativeAgents[0]");
    }

    [Fact]
    public void Causative_agents_with_toxicity_map()
    {
        var result = Read(p =>
        {
            p.Regimen()["stopReason"] = "toxicity";
            p.Regimen()["causativeAgents"] = Node("""["Docetaxel"]""");
        });

        Assert.True(result.IsValid, result.Describe());
        Assert.Equal(["docetaxel"], Kb.AgentNames(result.Patient.MetastaticRegimens[0].CausativeAgents));
    }

    [Fact]
    public void Only_one_metastatic_regimen_may_be_ongoing()
    {
        var result = Read(p => p["metastaticRegimens"] = Node("""
            [
              { "agents": ["pertuzumab", "trastuzumab", "docetaxel"], "start": "2023-02-01" },
              { "agents": ["trastuzumab-emtansine"], "start": "2024-05-20" }
            ]
            """));

        AssertError(result, "metastaticRegimens[1]", "and so is metastaticRegimens[0]: only one metastatic regimen can be ongoing.");
        Assert.DoesNotContain(result.Errors, e => e.Path == "metastaticRegimens[0]");
    }

    [Fact]
    public void Metastatic_regimen_before_the_metastatic_diagnosis_is_an_error()
    {
        AssertError(
            Read(p => p.Regimen()["start"] = "2022-12-01"),
            "metastaticRegimens[0].start",
            "2022-12-01 is before the metastatic diagnosis 2023-01-10: treatment before the metastatic diagnosis belongs under earlyDisease.");
    }

    // ---- Early disease and presentation ----

    [Fact]
    public void Early_regimen_stopping_after_the_metastatic_diagnosis_is_an_error()
    {
        AssertError(
            Read(p => p.Obj("earlyDisease.regimens[0]")["stop"] = "2023-02-01"),
            "earlyDisease.regimens[0].stop",
            "is after the metastatic diagnosis 2023-01-10");
    }

    [Fact]
    public void Early_regimen_stop_before_start_is_an_error()
    {
        AssertError(
            Read(p => p.Obj("earlyDisease.regimens[0]")["stop"] = "2018-01-01"),
            "earlyDisease.regimens[0].stop",
            "2018-01-01 is before the start 2018-04-01.");
    }

    [Fact]
    public void Early_disease_with_de_novo_presentation_is_an_error()
    {
        AssertError(Read(p => p.Obj("presentation")["type"] = "de-novo"), "earlyDisease", "presentation.type is 'de-novo'");
    }

    [Fact]
    public void Initial_diagnosis_after_metastatic_diagnosis_is_an_error()
    {
        AssertError(
            Read(p => p.Obj("presentation")["initialDiagnosisDate"] = "2023-02-01"),
            "presentation.initialDiagnosisDate",
            "2023-02-01 is after the metastatic diagnosis 2023-01-10.");
    }

    [Fact]
    public void Trastuzumab_completed_after_metastatic_diagnosis_is_an_error()
    {
        AssertError(
            Read(p => p.Obj("earlyDisease")["trastuzumabCompleted"] = "2023-03-01"),
            "earlyDisease.trastuzumabCompleted",
            "2023-03-01 is after the metastatic diagnosis 2023-01-10.");
    }

    // ---- LVEF and HER2 ----

    [Fact]
    public void Lvef_baseline_after_the_measurement_is_an_error()
    {
        AssertError(Read(p => p.Obj("lvef")["baselineDate"] = "2024-05-02"), "lvef.baselineDate", "is after the LVEF date 2024-05-01");
    }

    [Fact]
    public void Her2_status_negative_contradicting_ihc_3plus_is_an_error()
    {
        AssertError(Read(p => p.Obj("receptors.her2")["status"] = "negative"), "receptors.her2.status", "'negative' contradicts IHC 3+");
    }

    [Fact]
    public void Her2_status_negative_contradicting_amplified_ish_is_an_error()
    {
        AssertError(
            Read(p => p.Obj("receptors")["her2"] = Node("""{ "ihc": "2+", "ish": "amplified", "status": "negative" }""")),
            "receptors.her2.status",
            "contradicts ISH amplified");
    }

    [Fact]
    public void Her2_status_positive_contradicting_negative_ihc_and_ish_is_an_error()
    {
        AssertError(
            Read(p => p.Obj("receptors")["her2"] = Node("""{ "ihc": "1+", "ish": "not-amplified", "status": "positive" }""")),
            "receptors.her2.status",
            "'positive' contradicts IHC 1+ and ISH not amplified");
    }

    [Fact]
    public void Her2_status_consistent_with_detail_is_accepted()
    {
        var result = Read(p => p.Obj("receptors")["her2"] = Node("""{ "ihc": "2+", "ish": "amplified", "status": "positive" }"""));

        Assert.True(result.IsValid, result.Describe());
        Assert.Equal(ReportedStatus.Positive, result.Patient.Receptors.Her2!.Reported);
    }

    // ---- Several problems at once ----

    [Fact]
    public void Several_problems_are_all_reported_in_document_order()
    {
        var result = Read(p =>
        {
            p.Obj("receptors.her2")["ihc"] = "5+";
            p.Obj("lvef")["percent"] = 150;
            p["metastaticRegimens"] = Node("""
                [
                  { "agents": ["trastuzumab-emtansine"], "start": "2023-02-01", "stop": "2023-06-01", "stopReason": "progression" },
                  { "agents": ["lapatinib", "capecitabine"], "start": "2020-03-01", "stop": "2020-01-01", "stopReason": "toxicity" }
                ]
                """);
        });

        Assert.Null(result.Patient);
        Assert.Equal(
            """
            Invalid patient input: 4 problems.
              - receptors.her2.ihc: '5+' is not one of 0, 1+, 2+, 3+.
              - lvef.percent: 150 is outside the range 1-100.
              - metastaticRegimens[1].start: 2020-03-01 is before the metastatic diagnosis 2023-01-10: treatment before the metastatic diagnosis belongs under earlyDisease.
              - metastaticRegimens[1].stop: 2020-01-01 is before the start 2020-03-01.
            """.ReplaceLineEndings("\n"),
            result.Describe());
    }

    [Fact]
    public void Errors_follow_the_document_not_the_reading_order()
    {
        // "lvef" comes before "receptors" in this document, though the reader reads receptors first.
        var result = Read("""
            {
              "lvef": { "percent": 0, "date": "2024-01-01" },
              "id": "order",
              "receptors": { "er": "maybe" },
              "presentation": { "type": "de-novo", "metastaticDiagnosisDate": "2024-01-01" }
            }
            """);

        Assert.Equal(["lvef.percent", "receptors.er"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Reading_is_deterministic()
    {
        var broken = JsonNode.Parse(Valid)!.AsObject();
        broken["age"] = -1;
        broken["zzz"] = 1;
        broken.Regimen()["agents"] = Node("""["trastuzumab", "foo"]""");
        var json = broken.ToJsonString();

        Assert.Equal(Read(json).Describe(), Read(json).Describe());
    }

    [Fact]
    public void Valid_result_describes_itself_as_valid()
    {
        Assert.Equal("The patient input is valid.", Read(Valid).Describe());
    }

    [Fact]
    public void Shape_lists_every_object_once()
    {
        var paths = PatientJsonShape.Objects.Select(o => o.Path).ToArray();

        Assert.Equal(paths.Length, paths.Distinct().Count());
        Assert.All(PatientJsonShape.Objects, o => Assert.Equal(o.Properties.Count, o.Properties.Distinct().Count()));
    }

    [Fact]
    public void Every_agent_name_in_the_knowledge_base_resolves_to_itself()
    {
        foreach (var agent in Kb.Agents)
        {
            foreach (var name in agent.Aliases.Prepend(agent.Id).Prepend(agent.Name))
            {
                var result = Read(p => p["unavailableDrugs"] = new JsonArray(name));
                Assert.True(result.IsValid, result.Describe());
                Assert.True(result.Patient.Unavailable.Contains(agent), name);
            }
        }
    }

    private static AgentSet Set(params string[] names) => AgentSet.Of(names.Select(n => Kb.FindAgent(n)!));

    [Fact]
    public void Unavailable_and_declined_agents_map()
    {
        var result = Read(p =>
        {
            p["unavailableDrugs"] = Node("""["tucatinib"]""");
            p["preferences"] = Node("""{ "avoid": ["oral-therapy", "alopecia"], "declines": ["capecitabine"] }""");
        });

        Assert.True(result.IsValid, result.Describe());
        Assert.Equal(Set("tucatinib"), result.Patient.Unavailable);
        Assert.Equal(Set("capecitabine"), result.Patient.Preferences.Declined);
        Assert.Equal(AvoidPreferences.OralTherapy | AvoidPreferences.Alopecia, result.Patient.Preferences.Avoid);
    }
}
