using Herald.Contracts.Output;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Contracts.Patients;
using Herald.Core.Knowledge;
using Herald.Knowledge;

namespace Herald.Fhir.Tests.Support;

/// <summary>The knowledge base, repository paths and small FHIR builders for the mapping tests.</summary>
public static class FhirTest
{
    private static readonly Lazy<KnowledgeBase> LazyKb = new(KnowledgeLoader.LoadEmbeddedOrThrow);

    public static KnowledgeBase Kb => LazyKb.Value;

    public const string Loinc = "http://loinc.org";
    public const string Snomed = "http://snomed.info/sct";
    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10-cm";
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public const string Mcode = "http://hl7.org/fhir/us/mcode/StructureDefinition/";

    /// <summary>The repository root, found from this source file (test binaries may live in an artifacts folder).</summary>
    public static string RepositoryRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    public static string RepoFile(string relative) => Path.Combine(RepositoryRoot(), relative);

    public static string BundleFile(string name) => Path.Combine(RepositoryRoot(), "tests", "Herald.Fhir.Tests", "Bundles", name);

    public static DateOnly D(string date) => DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);

    public static FhirMappingResult Map(string json, string asOf, string? patientId = null)
    {
        var read = FhirResourceSet.Parse(json);
        Assert.True(read.IsValid, string.Join("\n", read.Errors));
        return FhirPatientMapper.Map(read.Resources, Kb, D(asOf), patientId);
    }

    /// <summary>
    /// The mapped patient read as the server reads it (the tree itself), held on every call to what its text gives when
    /// read as a file: the same errors, and for a valid patient the same decision document.
    /// </summary>
    public static PatientReadResult ReadNative(FhirMappingResult result)
    {
        var fromTree = PatientJsonReader.Read(result.Patient, Kb, D("2100-01-01"));
        var fromText = PatientJsonReader.Read(result.Patient.ToJsonString(), Kb, D("2100-01-01"));
        Assert.Equal(InputErrorJson.Serialize(fromText), InputErrorJson.Serialize(fromTree));
        Assert.Equal(fromText.AsOf, fromTree.AsOf);
        if (fromText.Patient is { } patient)
        {
            var engine = new Herald.Core.Engine.DecisionEngine(Kb);
            Assert.Equal(DecisionJson.Serialize(engine.Decide(patient, fromText.AsOf)), DecisionJson.Serialize(engine.Decide(fromTree.Patient!, fromTree.AsOf)));
        }

        return fromTree;
    }

    public static JsonObject Coding(string system, string code, string? display = null) =>
        new() { ["system"] = system, ["code"] = code, ["display"] = display };

    public static JsonObject Concept(string system, string code, string? display = null, string? text = null)
    {
        var concept = new JsonObject { ["coding"] = new JsonArray(Coding(system, code, display)) };
        if (text is not null)
        {
            concept["text"] = text;
        }

        return concept;
    }

    public static JsonObject Text(string text) => new() { ["text"] = text };

    /// <summary>A collection Bundle of resources with urn:uuid fullUrls, as Synthea writes them.</summary>
    public static string Bundle(params JsonObject[] resources) => Bundle("collection", resources);

    public static string Bundle(string type, params JsonObject[] resources)
    {
        var entries = new JsonArray();
        foreach (var resource in resources)
        {
            var id = resource["id"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
            entries.Add(new JsonObject { ["fullUrl"] = $"urn:uuid:{Uuid(id)}", ["resource"] = resource });
        }

        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = type, ["entry"] = entries }.ToJsonString();
    }

    /// <summary>A stable UUID for an id, so references can name a resource by its urn:uuid.</summary>
    public static string Uuid(string id)
    {
        var bytes = System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(id));
        return new Guid(bytes).ToString();
    }

    public const string PatientId = "p1";

    public static JsonObject PatientRef => new() { ["reference"] = $"urn:uuid:{Uuid(PatientId)}" };

    public static JsonObject Patient(string id = PatientId, string birthDate = "1970-03-15", string gender = "female") =>
        new() { ["resourceType"] = "Patient", ["id"] = id, ["birthDate"] = birthDate, ["gender"] = gender };

    public static JsonObject Condition(string id, JsonObject code, string? onset, string clinical = "active", string? profile = null, JsonObject? subject = null)
    {
        var condition = new JsonObject
        {
            ["resourceType"] = "Condition",
            ["id"] = id,
            ["clinicalStatus"] = Concept("http://terminology.hl7.org/CodeSystem/condition-clinical", clinical),
            ["verificationStatus"] = Concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
            ["code"] = code,
            ["subject"] = subject ?? PatientRef,
        };
        if (onset is not null)
        {
            condition["onsetDateTime"] = onset;
        }

        if (profile is not null)
        {
            condition["meta"] = new JsonObject { ["profile"] = new JsonArray(Mcode + profile) };
        }

        return condition;
    }

    public static JsonObject Observation(string id, JsonObject code, string date, string valueKey, JsonNode value, string status = "final", JsonObject? subject = null) =>
        new()
        {
            ["resourceType"] = "Observation",
            ["id"] = id,
            ["status"] = status,
            ["code"] = code,
            ["subject"] = subject ?? PatientRef,
            ["effectiveDateTime"] = date,
            [valueKey] = value,
        };

    public static JsonObject Quantity(decimal value, string unit) => new() { ["value"] = value, ["unit"] = unit };

    /// <summary>A MedicationAdministration over a period, as an EHR's infusion record.</summary>
    public static JsonObject Administration(string id, JsonObject medication, string start, string? end, string status = "completed",
        string? intent = null, JsonObject? statusReason = null)
    {
        var record = new JsonObject
        {
            ["resourceType"] = "MedicationAdministration",
            ["id"] = id,
            ["status"] = status,
            ["medicationCodeableConcept"] = medication,
            ["subject"] = PatientRef,
            ["effectivePeriod"] = end is null ? new JsonObject { ["start"] = start } : new JsonObject { ["start"] = start, ["end"] = end },
        };
        if (intent is not null)
        {
            record["extension"] = new JsonArray(new JsonObject
            {
                ["url"] = Mcode + "mcode-procedure-intent",
                ["valueCodeableConcept"] = Concept(Snomed, intent),
            });
        }

        if (statusReason is not null)
        {
            record["statusReason"] = new JsonArray(statusReason);
        }

        return record;
    }

    public static JsonObject Rx(string code, string display) => Concept(RxNorm, code, display);

    public static JsonElement Element(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
