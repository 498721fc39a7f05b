using System.Text.Json;
using System.Text.Json.Serialization;

namespace Herald.Fhir.Model;

// A small FHIR R4 model: only the resources and elements Herald reads. Unknown elements are skipped by
// the serializer; extensions and contained resources stay raw JSON and are read only where Herald knows
// the extension URL. Choice elements (value[x], onset[x], ...) are one property per type Herald reads.

public sealed class Coding
{
    public string? System { get; init; }

    public string? Code { get; init; }

    public string? Display { get; init; }
}

public sealed class CodeableConcept
{
    public List<Coding>? Coding { get; init; }

    public string? Text { get; init; }

    /// <summary>The text a person would read: the text, else the first display.</summary>
    public string? Label => !string.IsNullOrWhiteSpace(Text) ? Text : Coding?.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c?.Display))?.Display;
}

public sealed class ResourceReference
{
    [JsonPropertyName("reference")]
    public string? Value { get; init; }

    public string? Display { get; init; }
}

public sealed class Period
{
    public string? Start { get; init; }

    public string? End { get; init; }
}

public sealed class Quantity
{
    public decimal? Value { get; init; }

    public string? Comparator { get; init; }

    public string? Unit { get; init; }

    public string? System { get; init; }

    public string? Code { get; init; }
}

public sealed class Meta
{
    public List<string>? Profile { get; init; }
}

/// <summary>What every resource Herald reads has.</summary>
public abstract class FhirResource
{
    public string? ResourceType { get; init; }

    public string? Id { get; init; }

    public Meta? Meta { get; init; }

    /// <summary>Raw: only extensions with a URL Herald knows are read.</summary>
    public List<JsonElement>? Extension { get; init; }

    /// <summary>Raw: a contained Medication is read when a resource references it by '#id'.</summary>
    public List<JsonElement>? Contained { get; init; }

    private (string? Url, CodeableConcept? Value)[]? extensionValues;

    /// <summary>
    /// Each raw extension's url (null when it has none that is valid text) and CodeableConcept value (null when it has
    /// none or does not read), read once: the mapping asks for an extension by url several times per resource.
    /// The reader refuses a malformed extension (FhirChecks); this keeps the mapper safe on its own.
    /// </summary>
    internal (string? Url, CodeableConcept? Value)[] ExtensionValues()
    {
        if (extensionValues is { } known)
        {
            return known;
        }

        var values = new (string? Url, CodeableConcept? Value)[Extension?.Count ?? 0];
        for (var i = 0; i < values.Length; i++)
        {
            var raw = Extension![i];
            if (raw.ValueKind != JsonValueKind.Object || !raw.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String
                || !FhirChecks.IsText(url))
            {
                continue;
            }

            try
            {
                values[i] = (url.GetString(), FhirModelReader.Read(raw, FhirJsonContext.Default.Extension)?.ValueCodeableConcept);
            }
            catch (JsonException)
            {
                values[i] = (url.GetString(), null); // a malformed known extension reads as absent; the resource itself was valid
            }
        }

        return extensionValues = values;
    }

    public bool HasProfile(string canonical) =>
        Meta?.Profile?.Any(p => p.Split('|')[0].Equals(canonical, StringComparison.Ordinal)) == true;

    /// <summary>The date elements this resource has, with their paths, for validation.</summary>
    internal virtual IEnumerable<(string Path, string? Value)> Dates() => [];

    /// <summary>
    /// Adds to <paramref name="c"/> what is wrong in the elements Herald reads beyond JSON types (FhirChecks): nulls
    /// in arrays, missing required elements, malformed extensions and contained Medications. Paths start with <paramref name="at"/>.
    /// </summary>
    internal virtual void Check(FhirChecks c, string at = "")
    {
        c.Items(Meta?.Profile, at + "meta.profile");
        c.Extensions(Extension, at + "extension");
        c.Contained(Contained, at + "contained");
    }
}

public sealed class Patient : FhirResource
{
    public string? BirthDate { get; init; }

    public string? Gender { get; init; }

    internal override IEnumerable<(string Path, string? Value)> Dates() => [("birthDate", BirthDate)];
}

public sealed class Condition : FhirResource
{
    public CodeableConcept? ClinicalStatus { get; init; }

    public CodeableConcept? VerificationStatus { get; init; }

    public CodeableConcept? Code { get; init; }

    public List<CodeableConcept>? BodySite { get; init; }

    public ResourceReference? Subject { get; init; }

    public string? OnsetDateTime { get; init; }

    public Period? OnsetPeriod { get; init; }

    public string? RecordedDate { get; init; }

    // Required (R4): subject.
    internal override void Check(FhirChecks c, string at = "")
    {
        base.Check(c, at);
        c.Concept(ClinicalStatus, at + "clinicalStatus");
        c.Concept(VerificationStatus, at + "verificationStatus");
        c.Concept(Code, at + "code");
        c.Concepts(BodySite, at + "bodySite");
        c.Required(Subject, at + "subject");
        c.OneChoice(at + "onset[x]", OnsetDateTime, OnsetPeriod);
    }

    internal override IEnumerable<(string Path, string? Value)> Dates() =>
    [
        ("onsetDateTime", OnsetDateTime), ("onsetPeriod.start", OnsetPeriod?.Start), ("onsetPeriod.end", OnsetPeriod?.End),
        ("recordedDate", RecordedDate),
    ];
}

public sealed class ObservationComponent
{
    public CodeableConcept? Code { get; init; }

    public CodeableConcept? ValueCodeableConcept { get; init; }

    public Quantity? ValueQuantity { get; init; }

    public int? ValueInteger { get; init; }

    public string? ValueString { get; init; }

    public List<CodeableConcept>? Interpretation { get; init; }
}

public sealed class Observation : FhirResource
{
    public string? Status { get; init; }

    public CodeableConcept? Code { get; init; }

    public ResourceReference? Subject { get; init; }

    public List<ResourceReference>? Focus { get; init; }

    public string? EffectiveDateTime { get; init; }

    public Period? EffectivePeriod { get; init; }

    public string? EffectiveInstant { get; init; }

    public string? Issued { get; init; }

    public CodeableConcept? ValueCodeableConcept { get; init; }

    public Quantity? ValueQuantity { get; init; }

    public int? ValueInteger { get; init; }

    public string? ValueString { get; init; }

    public bool? ValueBoolean { get; init; }

    public CodeableConcept? BodySite { get; init; }

    public List<CodeableConcept>? Interpretation { get; init; }

    public List<ObservationComponent>? Component { get; init; }

    // Required (R4): status, code, component.code.
    internal override void Check(FhirChecks c, string at = "")
    {
        base.Check(c, at);
        c.Required(Status, at + "status");
        c.Required(Code, at + "code");
        c.Concept(Code, at + "code");
        c.Items(Focus, at + "focus");
        c.OneChoice(at + "effective[x]", EffectiveDateTime, EffectivePeriod, EffectiveInstant);
        c.OneChoice(at + "value[x]", ValueCodeableConcept, ValueQuantity, ValueInteger, ValueString, ValueBoolean);
        c.Concept(ValueCodeableConcept, at + "valueCodeableConcept");
        c.Concept(BodySite, at + "bodySite");
        c.Concepts(Interpretation, at + "interpretation");
        c.Items(Component, at + "component", (component, path) =>
        {
            c.Required(component.Code, path + ".code");
            c.Concept(component.Code, path + ".code");
            c.OneChoice(path + ".value[x]", component.ValueCodeableConcept, component.ValueQuantity, component.ValueInteger, component.ValueString);
            c.Concept(component.ValueCodeableConcept, path + ".valueCodeableConcept");
            c.Concepts(component.Interpretation, path + ".interpretation");
        });
    }

    internal override IEnumerable<(string Path, string? Value)> Dates() =>
    [
        ("effectiveDateTime", EffectiveDateTime), ("effectivePeriod.start", EffectivePeriod?.Start),
        ("effectivePeriod.end", EffectivePeriod?.End), ("effectiveInstant", EffectiveInstant), ("issued", Issued),
    ];
}

/// <summary>
/// A report (pathology, laboratory) read for its results: Observations it contains ('#id') become Observations of the
/// record; a report with no result at all is read through its conclusion text.
/// </summary>
public sealed class DiagnosticReport : FhirResource
{
    public string? Status { get; init; }

    public CodeableConcept? Code { get; init; }

    public ResourceReference? Subject { get; init; }

    public string? EffectiveDateTime { get; init; }

    public Period? EffectivePeriod { get; init; }

    public string? Issued { get; init; }

    public List<ResourceReference>? Result { get; init; }

    public string? Conclusion { get; init; }

    public List<CodeableConcept>? ConclusionCode { get; init; }

    // Required (R4): status, code.
    internal override void Check(FhirChecks c, string at = "")
    {
        base.Check(c, at);
        c.Required(Status, at + "status");
        c.Required(Code, at + "code");
        c.Concept(Code, at + "code");
        c.Items(Result, at + "result");
        c.OneChoice(at + "effective[x]", EffectiveDateTime, EffectivePeriod);
        c.Concepts(ConclusionCode, at + "conclusionCode");
    }

    internal override IEnumerable<(string Path, string? Value)> Dates() =>
    [
        ("effectiveDateTime", EffectiveDateTime), ("effectivePeriod.start", EffectivePeriod?.Start),
        ("effectivePeriod.end", EffectivePeriod?.End), ("issued", Issued),
    ];
}

public sealed class TimingRepeat
{
    public Period? BoundsPeriod { get; init; }
}

public sealed class Timing
{
    public TimingRepeat? Repeat { get; init; }
}

public sealed class Dosage
{
    public Timing? Timing { get; init; }
}

public sealed class DispenseRequest
{
    public Period? ValidityPeriod { get; init; }
}

/// <summary>What MedicationRequest, MedicationAdministration and MedicationStatement share.</summary>
public abstract class MedicationRecord : FhirResource
{
    public string? Status { get; init; }

    public CodeableConcept? MedicationCodeableConcept { get; init; }

    public ResourceReference? MedicationReference { get; init; }

    public ResourceReference? Subject { get; init; }

    public List<CodeableConcept>? ReasonCode { get; init; }

    public List<ResourceReference>? ReasonReference { get; init; }

    /// <summary>statusReason: one CodeableConcept on a request, a list on the others.</summary>
    public abstract IReadOnlyList<CodeableConcept> StatusReasons { get; }

    // Required (R4) for all three: status, medication[x], subject.
    internal override void Check(FhirChecks c, string at = "")
    {
        base.Check(c, at);
        c.Required(Status, at + "status");
        c.RequiredChoice(at + "medication[x]", MedicationCodeableConcept, MedicationReference);
        c.OneChoice(at + "medication[x]", MedicationCodeableConcept, MedicationReference);
        c.Concept(MedicationCodeableConcept, at + "medicationCodeableConcept");
        c.Required(Subject, at + "subject");
        c.Concepts(ReasonCode, at + "reasonCode");
        c.Items(ReasonReference, at + "reasonReference");
    }
}

public sealed class MedicationRequest : MedicationRecord
{
    public CodeableConcept? StatusReason { get; init; }

    public string? AuthoredOn { get; init; }

    public List<Dosage>? DosageInstruction { get; init; }

    public DispenseRequest? DispenseRequest { get; init; }

    public override IReadOnlyList<CodeableConcept> StatusReasons => StatusReason is null ? [] : [StatusReason];

    internal override void Check(FhirChecks c, string at = "")
    {
        base.Check(c, at);
        c.Concept(StatusReason, at + "statusReason");
        c.Items(DosageInstruction, at + "dosageInstruction");
    }

    internal override IEnumerable<(string Path, string? Value)> Dates()
    {
        yield return ("authoredOn", AuthoredOn);
        yield return ("dispenseRequest.validityPeriod.start", DispenseRequest?.ValidityPeriod?.Start);
        yield return ("dispenseRequest.validityPeriod.end", DispenseRequest?.ValidityPeriod?.End);
        for (var i = 0; i < (DosageInstruction?.Count ?? 0); i++)
        {
            var bounds = DosageInstruction![i]?.Timing?.Repeat?.BoundsPeriod;
            yield return ($"dosageInstruction[{i}].timing.repeat.boundsPeriod.start", bounds?.Start);
            yield return ($"dosageInstruction[{i}].timing.repeat.boundsPeriod.end", bounds?.End);
        }
    }
}

public sealed class MedicationAdministration : MedicationRecord
{
    public List<CodeableConcept>? StatusReason { get; init; }

    public string? EffectiveDateTime { get; init; }

    public Period? EffectivePeriod { get; init; }

    public override IReadOnlyList<CodeableConcept> StatusReasons => StatusReason ?? [];

    // Required (R4): effective[x], besides what every medication record requires.
    internal override void Check(FhirChecks c, string at = "")
    {
        base.Check(c, at);
        c.Concepts(StatusReason, at + "statusReason");
        c.RequiredChoice(at + "effective[x]", EffectiveDateTime, EffectivePeriod);
        c.OneChoice(at + "effective[x]", EffectiveDateTime, EffectivePeriod);
    }

    internal override IEnumerable<(string Path, string? Value)> Dates() =>
        [("effectiveDateTime", EffectiveDateTime), ("effectivePeriod.start", EffectivePeriod?.Start), ("effectivePeriod.end", EffectivePeriod?.End)];
}

public sealed class MedicationStatement : MedicationRecord
{
    public List<CodeableConcept>? StatusReason { get; init; }

    public string? EffectiveDateTime { get; init; }

    public Period? EffectivePeriod { get; init; }

    public string? DateAsserted { get; init; }

    public override IReadOnlyList<CodeableConcept> StatusReasons => StatusReason ?? [];

    internal override void Check(FhirChecks c, string at = "")
    {
        base.Check(c, at);
        c.Concepts(StatusReason, at + "statusReason");
        c.OneChoice(at + "effective[x]", EffectiveDateTime, EffectivePeriod);
    }

    internal override IEnumerable<(string Path, string? Value)> Dates() =>
    [
        ("effectiveDateTime", EffectiveDateTime), ("effectivePeriod.start", EffectivePeriod?.Start),
        ("effectivePeriod.end", EffectivePeriod?.End), ("dateAsserted", DateAsserted),
    ];
}

public sealed class MedicationIngredient
{
    public CodeableConcept? ItemCodeableConcept { get; init; }

    public ResourceReference? ItemReference { get; init; }
}

public sealed class Medication : FhirResource
{
    public CodeableConcept? Code { get; init; }

    public List<MedicationIngredient>? Ingredient { get; init; }

    // Required (R4): ingredient.item[x].
    internal override void Check(FhirChecks c, string at = "")
    {
        base.Check(c, at);
        c.Concept(Code, at + "code");
        c.Items(Ingredient, at + "ingredient", (ingredient, path) =>
        {
            c.RequiredChoice(path + ".item[x]", ingredient.ItemCodeableConcept, ingredient.ItemReference);
            c.OneChoice(path + ".item[x]", ingredient.ItemCodeableConcept, ingredient.ItemReference);
            c.Concept(ingredient.ItemCodeableConcept, path + ".itemCodeableConcept");
        });
    }
}

public sealed class Procedure : FhirResource
{
    public string? Status { get; init; }

    public CodeableConcept? Code { get; init; }

    public ResourceReference? Subject { get; init; }

    public string? PerformedDateTime { get; init; }

    public Period? PerformedPeriod { get; init; }

    // Required (R4): status, subject.
    internal override void Check(FhirChecks c, string at = "")
    {
        base.Check(c, at);
        c.Required(Status, at + "status");
        c.Concept(Code, at + "code");
        c.Required(Subject, at + "subject");
        c.OneChoice(at + "performed[x]", PerformedDateTime, PerformedPeriod);
    }

    internal override IEnumerable<(string Path, string? Value)> Dates() =>
        [("performedDateTime", PerformedDateTime), ("performedPeriod.start", PerformedPeriod?.Start), ("performedPeriod.end", PerformedPeriod?.End)];
}

public sealed class AllergyReaction
{
    public List<CodeableConcept>? Manifestation { get; init; }

    public string? Description { get; init; }
}

public sealed class AllergyIntolerance : FhirResource
{
    public CodeableConcept? ClinicalStatus { get; init; }

    public CodeableConcept? VerificationStatus { get; init; }

    public CodeableConcept? Code { get; init; }

    public ResourceReference? Patient { get; init; }

    public string? Criticality { get; init; }

    public List<AllergyReaction>? Reaction { get; init; }

    // Required (R4): patient, reaction.manifestation (1..*).
    internal override void Check(FhirChecks c, string at = "")
    {
        base.Check(c, at);
        c.Concept(ClinicalStatus, at + "clinicalStatus");
        c.Concept(VerificationStatus, at + "verificationStatus");
        c.Concept(Code, at + "code");
        c.Required(Patient, at + "patient");
        c.Items(Reaction, at + "reaction", (reaction, path) =>
        {
            c.Required(reaction.Manifestation, path + ".manifestation");
            c.Concepts(reaction.Manifestation, path + ".manifestation");
        });
    }
}

/// <summary>An extension as Herald reads it (only known URLs).</summary>
internal sealed class Extension
{
    public string? Url { get; init; }

    public CodeableConcept? ValueCodeableConcept { get; init; }
}

// A member given twice ("status":"final", then "status":"entered-in-error") is an error, not "the last one wins".
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(Patient))]
[JsonSerializable(typeof(Condition))]
[JsonSerializable(typeof(Observation))]
[JsonSerializable(typeof(DiagnosticReport))]
[JsonSerializable(typeof(MedicationRequest))]
[JsonSerializable(typeof(MedicationAdministration))]
[JsonSerializable(typeof(MedicationStatement))]
[JsonSerializable(typeof(Medication))]
[JsonSerializable(typeof(Procedure))]
[JsonSerializable(typeof(AllergyIntolerance))]
[JsonSerializable(typeof(Extension))]
internal sealed partial class FhirJsonContext : JsonSerializerContext;
