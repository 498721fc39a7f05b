using System.Text.Json;
using Herald.Fhir;
using Herald.Fhir.Terminology;
using Herald.Server.CdsHooks;

namespace Herald.Server.Tests.Cards;

public sealed class CdsServiceCatalogTests
{
    [Fact]
    public void Discovery_lists_both_services_with_their_hooks_and_prefetch_keys()
    {
        using var json = JsonDocument.Parse(CdsHooksJson.Serialize(CdsServiceCatalog.Discovery));
        var services = json.RootElement.GetProperty("services").EnumerateArray().ToArray();

        Assert.Equal(["herald-patient-view", "herald-order-sign"], services.Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(["patient-view", "order-sign"], services.Select(s => s.GetProperty("hook").GetString()));
        Assert.All(services, s => Assert.False(string.IsNullOrEmpty(s.GetProperty("description").GetString())));
        Assert.Equal(
            ["patient", "conditions", "observations", "laboratoryObservations", "medicationRequests", "medicationAdministrations", "medicationStatements", "procedures", "allergies"],
            services[0].GetProperty("prefetch").EnumerateObject().Select(p => p.Name));
        Assert.Equal("Patient/{{context.patientId}}", services[0].GetProperty("prefetch").GetProperty("patient").GetString());
    }

    /// <summary>
    /// Probes the mapper with one Observation per code of the concept table: the codes it reacts to (reads a value or
    /// reports one it cannot read) are exactly the codes the observations template asks for.
    /// </summary>
    [Fact]
    public void The_observation_template_asks_for_exactly_the_codes_the_mapper_reads_from_observations()
    {
        var kb = CardTestKit.Kb;
        var asOf = new DateOnly(2024, 6, 1);
        string Mapped(params string[] extra)
        {
            var json = $$"""
                { "resourceType": "Bundle", "type": "collection", "entry": [
                  { "resource": { "resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1970-01-01" } },
                  { "resource": { "resourceType": "Condition", "id": "c1", "subject": { "reference": "Patient/p1" }, "onsetDateTime": "2020-01-01",
                      "code": { "coding": [ { "system": "http://snomed.info/sct", "code": "254837009" } ] } } },
                  { "resource": { "resourceType": "Condition", "id": "c2", "subject": { "reference": "Patient/p1" }, "onsetDateTime": "2024-01-01",
                      "code": { "coding": [ { "system": "http://snomed.info/sct", "code": "94381002" } ] } } }
                  {{string.Concat(extra.Select(e => "," + e))}} ] }
                """;
            var read = FhirResourceSet.Parse(json);
            Assert.True(read.IsValid, string.Join("; ", read.Errors));
            var result = FhirPatientMapper.Map(read.Resources, kb, asOf);
            return result.Patient.ToJsonString() + FhirMappingJson.Serialize(result);
        }

        var baseline = Mapped();
        var read = ConceptTable.Default.Rows.Where(r => !r.Prefix)
            .Where(r => Mapped($$"""
                { "resource": { "resourceType": "Observation", "id": "probe", "status": "final", "subject": { "reference": "Patient/p1" },
                  "effectiveDateTime": "2024-05-01", "code": { "coding": [ { "system": "{{r.System}}", "code": "{{r.Code}}" } ] }, "valueString": "positive" } }
                """) != baseline)
            .Select(r => $"{r.System}|{r.Code}")
            .ToHashSet();
        var template = CdsServiceCatalog.PrefetchTemplates["observations"];
        var asked = template[(template.IndexOf("&code=", StringComparison.Ordinal) + "&code=".Length)..].Split(',').ToHashSet();

        Assert.NotEmpty(read);
        Assert.Empty(read.Except(asked)); // the mapper reads nothing the EHR is not asked for
        Assert.Empty(asked.Except(read)); // and the template asks for nothing the mapper ignores
        Assert.StartsWith("Observation?patient={{context.patientId}}&code=", template);
        Assert.Contains("http://loinc.org|21907-1", asked); // TNM M category, missing before
        Assert.Contains("http://snomed.info/sct|49727002", asked); // cough recorded as an observation
    }

    /// <summary>
    /// A HER2 result under a local code, named only in words, is not selected by the code search; the laboratory
    /// category search finds it, and the mapper reads it from that prefetch key like any other.
    /// </summary>
    [Fact]
    public void A_her2_result_known_only_by_name_or_a_local_code_is_asked_for_by_the_laboratory_template_and_read_from_it()
    {
        const string her2 = """
            { "resourceType": "Observation", "id": "local-her2", "status": "final", "subject": { "reference": "Patient/p1" },
              "category": [ { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory" } ] } ],
              "effectiveDateTime": "2024-05-01",
              "code": { "coding": [ { "system": "http://ehr.example.org/lab", "code": "HER2IHC" } ], "text": "HER2/neu (IHC)" }, "valueString": "3+" }
            """;
        var codeTemplate = CdsServiceCatalog.PrefetchTemplates["observations"];
        var asked = codeTemplate[(codeTemplate.IndexOf("&code=", StringComparison.Ordinal) + "&code=".Length)..].Split(',');
        Assert.DoesNotContain("http://ehr.example.org/lab|HER2IHC", asked); // the code search cannot find it

        Assert.Equal("Observation?patient={{context.patientId}}&category=laboratory", CdsServiceCatalog.PrefetchTemplates["laboratoryObservations"]);
        var set = new FhirResourceSet();
        using var patient = JsonDocument.Parse("""{ "resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1970-01-01" }""");
        using var lab = JsonDocument.Parse($$"""{ "resourceType": "Bundle", "type": "searchset", "entry": [ { "resource": {{her2}} } ] }""");
        Assert.Empty(set.AddPrefetch([KeyValuePair.Create("patient", patient.RootElement), KeyValuePair.Create("laboratoryObservations", lab.RootElement)]));

        var result = FhirPatientMapper.Map(set, CardTestKit.Kb, new DateOnly(2024, 6, 1));

        Assert.Equal("3+", result.Patient["receptors"]!["her2"]!["ihc"]!.GetValue<string>());
    }

    [Fact]
    public void The_same_observation_returned_by_the_code_and_the_laboratory_searches_is_read_once()
    {
        const string ecog = """
            { "resourceType": "Observation", "id": "ecog", "status": "final", "subject": { "reference": "Patient/p1" }, "effectiveDateTime": "2024-05-01",
              "code": { "coding": [ { "system": "http://loinc.org", "code": "89247-1" } ] }, "valueString": "see note" }
            """;
        using var bundle = JsonDocument.Parse($$"""{ "resourceType": "Bundle", "type": "searchset", "entry": [ { "resource": {{ecog}} } ] }""");
        var set = new FhirResourceSet();
        set.AddPrefetch([KeyValuePair.Create("observations", bundle.RootElement), KeyValuePair.Create("laboratoryObservations", bundle.RootElement)]);

        var result = FhirPatientMapper.Map(set, CardTestKit.Kb, new DateOnly(2024, 6, 1), "p1");

        Assert.Single(result.Unmapped, u => u.Resource == "Observation/ecog");
    }

    [Fact]
    public void Expanding_a_template_fills_in_the_escaped_patient_id()
    {
        Assert.Equal("Condition?patient=123", CdsServiceCatalog.Expand(CdsServiceCatalog.PrefetchTemplates["conditions"], "123"));
        Assert.Equal("Patient/a%20b%26c", CdsServiceCatalog.Expand(CdsServiceCatalog.PrefetchTemplates["patient"], "a b&c"));
        Assert.Equal("AllergyIntolerance?patient=p1",
            CdsServiceCatalog.ExpandAll(CdsServiceCatalog.OrderSign, "p1").Single(p => p.Key == "allergies").Value);
    }

    [Fact]
    public void Services_are_found_by_id_only()
    {
        Assert.Same(CdsServiceCatalog.OrderSign, CdsServiceCatalog.Find("herald-order-sign"));
        Assert.Null(CdsServiceCatalog.Find("order-sign"));
    }

    [Fact]
    public void Feedback_reads_outcome_suggestions_and_override_reason()
    {
        var feedback = CdsHooksJson.DeserializeFeedback("""
            { "feedback": [ { "card": "1b9a0f4e-0000-5000-8000-000000000001", "outcome": "overridden",
              "overrideReason": { "reason": { "system": "https://herald.example.org/override-reason", "code": "data-incorrect", "display": "x" }, "userComment": "LVEF is old" },
              "outcomeTimestamp": "2026-03-02T10:00:00Z" },
              { "card": "1b9a0f4e-0000-5000-8000-000000000002", "outcome": "accepted", "acceptedSuggestions": [ { "id": "abc" } ], "outcomeTimestamp": "2026-03-02T10:01:00Z" } ] }
            """)!;

        Assert.Equal("data-incorrect", feedback.Feedback![0].OverrideReason!.Reason!.Code);
        Assert.Equal("LVEF is old", feedback.Feedback[0].OverrideReason!.UserComment);
        Assert.Equal("abc", feedback.Feedback[1].AcceptedSuggestions![0].Id);
    }

    [Fact]
    public void Card_uuids_are_version_8_depend_on_scope_and_key_and_share_their_scope_s_prefix()
    {
        var id = CardIds.For("hook-1", "decision-point");
        var sibling = CardIds.For("hook-1", "missing-data");
        var stranger = CardIds.For("hook-2", "decision-point");

        Assert.Equal(id, CardIds.For("hook-1", "decision-point"));
        Assert.NotEqual(id, stranger);
        Assert.NotEqual(id, sibling);
        Assert.Equal('8', id[14]);
        Assert.Contains(id[19], "89ab");
        Assert.Equal(id[..18], sibling[..18]);
        Assert.NotEqual(id[..18], stranger[..18]);
        Assert.NotEqual(id[19..], sibling[19..]);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(139)]
    [InlineData(140)]
    [InlineData(400)]
    public void Summaries_are_cut_below_140_characters_at_a_word(int length)
    {
        var text = string.Join(' ', Enumerable.Repeat("trastuzumab", 60))[..length];
        var summary = CardText.Summary(text);

        Assert.True(summary.Length < 140);
        if (length < 140)
        {
            Assert.Equal(text, summary);
        }
        else
        {
            Assert.EndsWith("trastuzumab…", summary);
        }
    }
}
