using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Herald.Fhir.Model;

/// <summary>
/// Reads the model from a parsed element by hand: the serializer's general path (init-only properties read as
/// constructor arguments, each raw extension cloned into its own document) cost most of a request's FHIR read.
/// The hand reader takes only input it reads exactly as the serializer would (each known member once, by its exact
/// name, of the JSON type the model expects, valid text, numbers in range); on anything else it gives way to the
/// serializer (<see cref="FhirJsonContext"/>), which then reads it or names the fault and its path as before.
/// </summary>
internal static class FhirModelReader
{
    /// <summary>The resource (or extension) in <paramref name="element"/>, as <c>element.Deserialize(info)</c> reads it.</summary>
    /// <exception cref="JsonException">The serializer's fault, when the element does not read.</exception>
    public static T? Read<T>(JsonElement element, JsonTypeInfo<T> info)
        where T : class => TryRead(element, out T? value) ? value : element.Deserialize(info);

    /// <summary>The hand reader alone: false when it leaves the element to the serializer.</summary>
    internal static bool TryRead<T>(JsonElement element, out T? value)
        where T : class
    {
        value = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        try
        {
            value = ReadObject<T>(element);
            return value is not null;
        }
        catch (Exception e) when (e is GiveWay or InvalidOperationException or JsonException)
        {
            // GiveWay: input the hand reader leaves to the serializer; InvalidOperationException: a string that is
            // not valid UTF-16; JsonException: a member given twice inside a raw extension or contained resource.
            value = null;
            return false;
        }
    }

    private static T? ReadObject<T>(JsonElement e)
        where T : class
    {
        object? read = typeof(T) switch
        {
            var t when t == typeof(Patient) => Patient(e),
            var t when t == typeof(Condition) => Condition(e),
            var t when t == typeof(Observation) => Observation(e),
            var t when t == typeof(DiagnosticReport) => DiagnosticReport(e),
            var t when t == typeof(MedicationRequest) => MedicationRequest(e),
            var t when t == typeof(MedicationAdministration) => MedicationAdministration(e),
            var t when t == typeof(MedicationStatement) => MedicationStatement(e),
            var t when t == typeof(Medication) => Medication(e),
            var t when t == typeof(Procedure) => Procedure(e),
            var t when t == typeof(AllergyIntolerance) => AllergyIntolerance(e),
            var t when t == typeof(Extension) => Extension(e),
            _ => null,
        };
        return read as T;
    }

    /// <summary>Thrown inside the reader for input left to the serializer; never escapes <see cref="Read{T}"/>.</summary>
    private sealed class GiveWay : Exception;

    // The members every resource has come first in each resource's name table.
    private const int BaseCount = 5;

    private static readonly byte[][] BaseNames = [U("resourceType"), U("id"), U("meta"), U("extension"), U("contained")];

    private struct Base
    {
        public string? ResourceType;
        public string? Id;
        public Meta? Meta;
        public List<JsonElement>? Extension;
        public List<JsonElement>? Contained;

        public void Read(int index, JsonElement value)
        {
            switch (index)
            {
                case 0: ResourceType = Str(value); break;
                case 1: Id = Str(value); break;
                case 2: Meta = Obj(value, ReadMeta); break;
                case 3: Extension = Raw(value); break;
                default: Contained = Raw(value); break;
            }
        }
    }

    private static byte[] U(string name) => System.Text.Encoding.UTF8.GetBytes(name);

    private static byte[][] Names(params string[] names) => [.. BaseNames, .. names.Select(U)];

    /// <summary>
    /// The index of the member's name in <paramref name="names"/>, or -1 for a member the model does not read (skipped, as
    /// the serializer skips it). A name written with escapes, or a known member given twice, is left to the serializer.
    /// </summary>
    private static int Member(JsonProperty property, byte[][] names, ref ulong seen)
    {
        var name = JsonMarshal.GetRawUtf8PropertyName(property);
        if (name.IndexOf((byte)'\\') >= 0)
        {
            throw new GiveWay();
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (name.SequenceEqual(names[i]))
            {
                var bit = 1UL << i;
                if ((seen & bit) != 0)
                {
                    throw new GiveWay();
                }

                seen |= bit;
                return i;
            }
        }

        return -1;
    }

    private static string? Str(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(), // throws InvalidOperationException for a lone surrogate escape
        JsonValueKind.Null => null,
        _ => throw new GiveWay(),
    };

    private static decimal? Dec(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
        JsonValueKind.Null => null,
        _ => throw new GiveWay(),
    };

    private static int? Int(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt32(out var number) => number,
        JsonValueKind.Null => null,
        _ => throw new GiveWay(),
    };

    private static bool? Bool(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => throw new GiveWay(),
    };

    private static T? Obj<T>(JsonElement value, Func<JsonElement, T> read)
        where T : class => value.ValueKind switch
        {
            JsonValueKind.Object => read(value),
            JsonValueKind.Null => null,
            _ => throw new GiveWay(),
        };

    /// <summary>A list of objects; a null item stays null (FhirChecks reports it).</summary>
    private static List<T?>? List<T>(JsonElement value, Func<JsonElement, T> read)
        where T : class
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new GiveWay();
        }

        var list = new List<T?>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            list.Add(Obj(item, read));
        }

        return list;
    }

    private static List<string?>? Strings(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new GiveWay();
        }

        var list = new List<string?>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            list.Add(Str(item));
        }

        return list;
    }

    /// <summary>
    /// Extensions and contained resources stay raw, as the serializer keeps them. The array is cloned out of the request's
    /// document (which the caller may dispose; a clone of a clone is itself, so a resource read from a clone costs no
    /// copy) and each item is an element of the clone. Like the serializer, which refuses a member given twice at any
    /// depth of a raw element, the items are walked: a name given twice, a name written with escapes, or deep nesting
    /// is left to the serializer.
    /// </summary>
    private static List<JsonElement>? Raw(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new GiveWay();
        }

        var owned = value.Clone();
        var list = new List<JsonElement>(owned.GetArrayLength());
        foreach (var item in owned.EnumerateArray())
        {
            EachNameOnce(item, depth: 2);
            list.Add(item);
        }

        return list;
    }

    // The serializer reads a resource 64 levels deep; well short of that, the hand reader gives way.
    private const int DeepestWalked = 48;

    private static void EachNameOnce(JsonElement element, int depth)
    {
        if (element.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            return;
        }

        if (depth > DeepestWalked)
        {
            throw new GiveWay();
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                EachNameOnce(item, depth + 1);
            }

            return;
        }

        var i = 0;
        foreach (var property in element.EnumerateObject())
        {
            var name = JsonMarshal.GetRawUtf8PropertyName(property);
            if (name.IndexOf((byte)'\\') >= 0)
            {
                throw new GiveWay();
            }

            // Objects in FHIR have a few members: comparing each name with those before it is cheaper than a set.
            var j = 0;
            foreach (var before in element.EnumerateObject())
            {
                if (j++ == i)
                {
                    break;
                }

                if (name.SequenceEqual(JsonMarshal.GetRawUtf8PropertyName(before)))
                {
                    throw new GiveWay();
                }
            }

            i++;
            EachNameOnce(property.Value, depth + 1);
        }
    }

    // Data types.

    private static readonly byte[][] CodingNames = [U("system"), U("code"), U("display")];

    private static Coding ReadCoding(JsonElement e)
    {
        string? system = null, code = null, display = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, CodingNames, ref seen))
            {
                case 0: system = Str(p.Value); break;
                case 1: code = Str(p.Value); break;
                case 2: display = Str(p.Value); break;
                default: break;
            }
        }

        return new Coding { System = system, Code = code, Display = display };
    }

    private static readonly byte[][] ConceptNames = [U("coding"), U("text")];

    private static CodeableConcept ReadConcept(JsonElement e)
    {
        List<Coding?>? coding = null;
        string? text = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, ConceptNames, ref seen))
            {
                case 0: coding = List(p.Value, ReadCoding); break;
                case 1: text = Str(p.Value); break;
                default: break;
            }
        }

        return new CodeableConcept { Coding = coding!, Text = text };
    }

    private static readonly byte[][] ReferenceNames = [U("reference"), U("display")];

    private static ResourceReference ReadReference(JsonElement e)
    {
        string? reference = null, display = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, ReferenceNames, ref seen))
            {
                case 0: reference = Str(p.Value); break;
                case 1: display = Str(p.Value); break;
                default: break;
            }
        }

        return new ResourceReference { Value = reference, Display = display };
    }

    private static readonly byte[][] PeriodNames = [U("start"), U("end")];

    private static Period ReadPeriod(JsonElement e)
    {
        string? start = null, end = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, PeriodNames, ref seen))
            {
                case 0: start = Str(p.Value); break;
                case 1: end = Str(p.Value); break;
                default: break;
            }
        }

        return new Period { Start = start, End = end };
    }

    private static readonly byte[][] QuantityNames = [U("value"), U("comparator"), U("unit"), U("system"), U("code")];

    private static Quantity ReadQuantity(JsonElement e)
    {
        decimal? value = null;
        string? comparator = null, unit = null, system = null, code = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, QuantityNames, ref seen))
            {
                case 0: value = Dec(p.Value); break;
                case 1: comparator = Str(p.Value); break;
                case 2: unit = Str(p.Value); break;
                case 3: system = Str(p.Value); break;
                case 4: code = Str(p.Value); break;
                default: break;
            }
        }

        return new Quantity { Value = value, Comparator = comparator, Unit = unit, System = system, Code = code };
    }

    private static readonly byte[][] MetaNames = [U("profile")];

    private static Meta ReadMeta(JsonElement e)
    {
        List<string?>? profile = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            if (Member(p, MetaNames, ref seen) == 0)
            {
                profile = Strings(p.Value);
            }
        }

        return new Meta { Profile = profile! };
    }

    // Resources.

    private static readonly byte[][] PatientNames = Names("birthDate", "gender");

    private static Patient Patient(JsonElement e)
    {
        Base b = default;
        string? birthDate = null, gender = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, PatientNames, ref seen))
            {
                case < 0: break;
                case < BaseCount and var i: b.Read(i, p.Value); break;
                case 5: birthDate = Str(p.Value); break;
                default: gender = Str(p.Value); break;
            }
        }

        return new Patient
        {
            ResourceType = b.ResourceType, Id = b.Id, Meta = b.Meta, Extension = b.Extension, Contained = b.Contained,
            BirthDate = birthDate, Gender = gender,
        };
    }

    private static readonly byte[][] ConditionNames = Names(
        "clinicalStatus", "verificationStatus", "code", "bodySite", "subject", "onsetDateTime", "onsetPeriod", "recordedDate");

    private static Condition Condition(JsonElement e)
    {
        Base b = default;
        CodeableConcept? clinicalStatus = null, verificationStatus = null, code = null;
        List<CodeableConcept?>? bodySite = null;
        ResourceReference? subject = null;
        string? onsetDateTime = null, recordedDate = null;
        Period? onsetPeriod = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, ConditionNames, ref seen))
            {
                case < 0: break;
                case < BaseCount and var i: b.Read(i, p.Value); break;
                case 5: clinicalStatus = Obj(p.Value, ReadConcept); break;
                case 6: verificationStatus = Obj(p.Value, ReadConcept); break;
                case 7: code = Obj(p.Value, ReadConcept); break;
                case 8: bodySite = List(p.Value, ReadConcept); break;
                case 9: subject = Obj(p.Value, ReadReference); break;
                case 10: onsetDateTime = Str(p.Value); break;
                case 11: onsetPeriod = Obj(p.Value, ReadPeriod); break;
                default: recordedDate = Str(p.Value); break;
            }
        }

        return new Condition
        {
            ResourceType = b.ResourceType, Id = b.Id, Meta = b.Meta, Extension = b.Extension, Contained = b.Contained,
            ClinicalStatus = clinicalStatus, VerificationStatus = verificationStatus, Code = code, BodySite = bodySite!, Subject = subject,
            OnsetDateTime = onsetDateTime, OnsetPeriod = onsetPeriod, RecordedDate = recordedDate,
        };
    }

    private static readonly byte[][] ComponentNames =
        [U("code"), U("valueCodeableConcept"), U("valueQuantity"), U("valueInteger"), U("valueString"), U("interpretation")];

    private static ObservationComponent ReadComponent(JsonElement e)
    {
        CodeableConcept? code = null, valueCodeableConcept = null;
        Quantity? valueQuantity = null;
        int? valueInteger = null;
        string? valueString = null;
        List<CodeableConcept?>? interpretation = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, ComponentNames, ref seen))
            {
                case 0: code = Obj(p.Value, ReadConcept); break;
                case 1: valueCodeableConcept = Obj(p.Value, ReadConcept); break;
                case 2: valueQuantity = Obj(p.Value, ReadQuantity); break;
                case 3: valueInteger = Int(p.Value); break;
                case 4: valueString = Str(p.Value); break;
                case 5: interpretation = List(p.Value, ReadConcept); break;
                default: break;
            }
        }

        return new ObservationComponent
        {
            Code = code, ValueCodeableConcept = valueCodeableConcept, ValueQuantity = valueQuantity, ValueInteger = valueInteger,
            ValueString = valueString, Interpretation = interpretation!,
        };
    }

    private static readonly byte[][] ObservationNames = Names(
        "status", "code", "subject", "focus", "effectiveDateTime", "effectivePeriod", "effectiveInstant", "issued", "valueCodeableConcept",
        "valueQuantity", "valueInteger", "valueString", "valueBoolean", "bodySite", "interpretation", "component");

    private static Observation Observation(JsonElement e)
    {
        Base b = default;
        string? status = null, effectiveDateTime = null, effectiveInstant = null, issued = null, valueString = null;
        CodeableConcept? code = null, valueCodeableConcept = null, bodySite = null;
        ResourceReference? subject = null;
        List<ResourceReference?>? focus = null;
        Period? effectivePeriod = null;
        Quantity? valueQuantity = null;
        int? valueInteger = null;
        bool? valueBoolean = null;
        List<CodeableConcept?>? interpretation = null;
        List<ObservationComponent?>? component = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, ObservationNames, ref seen))
            {
                case < 0: break;
                case < BaseCount and var i: b.Read(i, p.Value); break;
                case 5: status = Str(p.Value); break;
                case 6: code = Obj(p.Value, ReadConcept); break;
                case 7: subject = Obj(p.Value, ReadReference); break;
                case 8: focus = List(p.Value, ReadReference); break;
                case 9: effectiveDateTime = Str(p.Value); break;
                case 10: effectivePeriod = Obj(p.Value, ReadPeriod); break;
                case 11: effectiveInstant = Str(p.Value); break;
                case 12: issued = Str(p.Value); break;
                case 13: valueCodeableConcept = Obj(p.Value, ReadConcept); break;
                case 14: valueQuantity = Obj(p.Value, ReadQuantity); break;
                case 15: valueInteger = Int(p.Value); break;
                case 16: valueString = Str(p.Value); break;
                case 17: valueBoolean = Bool(p.Value); break;
                case 18: bodySite = Obj(p.Value, ReadConcept); break;
                case 19: interpretation = List(p.Value, ReadConcept); break;
                default: component = List(p.Value, ReadComponent); break;
            }
        }

        return new Observation
        {
            ResourceType = b.ResourceType, Id = b.Id, Meta = b.Meta, Extension = b.Extension, Contained = b.Contained,
            Status = status, Code = code, Subject = subject, Focus = focus!, EffectiveDateTime = effectiveDateTime,
            EffectivePeriod = effectivePeriod, EffectiveInstant = effectiveInstant, Issued = issued,
            ValueCodeableConcept = valueCodeableConcept, ValueQuantity = valueQuantity, ValueInteger = valueInteger,
            ValueString = valueString, ValueBoolean = valueBoolean, BodySite = bodySite, Interpretation = interpretation!,
            Component = component!,
        };
    }

    private static readonly byte[][] ReportNames = Names(
        "status", "code", "subject", "effectiveDateTime", "effectivePeriod", "issued", "result", "conclusion", "conclusionCode");

    private static DiagnosticReport DiagnosticReport(JsonElement e)
    {
        Base b = default;
        string? status = null, effectiveDateTime = null, issued = null, conclusion = null;
        CodeableConcept? code = null;
        ResourceReference? subject = null;
        Period? effectivePeriod = null;
        List<ResourceReference?>? result = null;
        List<CodeableConcept?>? conclusionCode = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, ReportNames, ref seen))
            {
                case < 0: break;
                case < BaseCount and var i: b.Read(i, p.Value); break;
                case 5: status = Str(p.Value); break;
                case 6: code = Obj(p.Value, ReadConcept); break;
                case 7: subject = Obj(p.Value, ReadReference); break;
                case 8: effectiveDateTime = Str(p.Value); break;
                case 9: effectivePeriod = Obj(p.Value, ReadPeriod); break;
                case 10: issued = Str(p.Value); break;
                case 11: result = List(p.Value, ReadReference); break;
                case 12: conclusion = Str(p.Value); break;
                default: conclusionCode = List(p.Value, ReadConcept); break;
            }
        }

        return new DiagnosticReport
        {
            ResourceType = b.ResourceType, Id = b.Id, Meta = b.Meta, Extension = b.Extension, Contained = b.Contained,
            Status = status, Code = code, Subject = subject, EffectiveDateTime = effectiveDateTime, EffectivePeriod = effectivePeriod,
            Issued = issued, Result = result!, Conclusion = conclusion, ConclusionCode = conclusionCode!,
        };
    }

    /// <summary>What MedicationRequest, MedicationAdministration and MedicationStatement share, after the base members.</summary>
    private struct Record
    {
        public string? Status;
        public CodeableConcept? MedicationCodeableConcept;
        public ResourceReference? MedicationReference;
        public ResourceReference? Subject;
        public List<CodeableConcept?>? ReasonCode;
        public List<ResourceReference?>? ReasonReference;

        public const int Count = 6;

        public void Read(int index, JsonElement value)
        {
            switch (index)
            {
                case 0: Status = Str(value); break;
                case 1: MedicationCodeableConcept = Obj(value, ReadConcept); break;
                case 2: MedicationReference = Obj(value, ReadReference); break;
                case 3: Subject = Obj(value, ReadReference); break;
                case 4: ReasonCode = List(value, ReadConcept); break;
                default: ReasonReference = List(value, ReadReference); break;
            }
        }
    }

    private static byte[][] RecordNames(params string[] names) =>
        Names(["status", "medicationCodeableConcept", "medicationReference", "subject", "reasonCode", "reasonReference", .. names]);

    private const int RecordEnd = BaseCount + Record.Count;

    private static readonly byte[][] RequestNames = RecordNames("statusReason", "authoredOn", "dosageInstruction", "dispenseRequest");

    private static MedicationRequest MedicationRequest(JsonElement e)
    {
        Base b = default;
        Record r = default;
        CodeableConcept? statusReason = null;
        string? authoredOn = null;
        List<Dosage?>? dosageInstruction = null;
        DispenseRequest? dispenseRequest = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, RequestNames, ref seen))
            {
                case < 0: break;
                case < BaseCount and var i: b.Read(i, p.Value); break;
                case < RecordEnd and var i: r.Read(i - BaseCount, p.Value); break;
                case RecordEnd: statusReason = Obj(p.Value, ReadConcept); break;
                case RecordEnd + 1: authoredOn = Str(p.Value); break;
                case RecordEnd + 2: dosageInstruction = List(p.Value, ReadDosage); break;
                default: dispenseRequest = Obj(p.Value, ReadDispenseRequest); break;
            }
        }

        return new MedicationRequest
        {
            ResourceType = b.ResourceType, Id = b.Id, Meta = b.Meta, Extension = b.Extension, Contained = b.Contained,
            Status = r.Status, MedicationCodeableConcept = r.MedicationCodeableConcept, MedicationReference = r.MedicationReference,
            Subject = r.Subject, ReasonCode = r.ReasonCode!, ReasonReference = r.ReasonReference!,
            StatusReason = statusReason, AuthoredOn = authoredOn, DosageInstruction = dosageInstruction!, DispenseRequest = dispenseRequest,
        };
    }

    private static readonly byte[][] AdministrationNames = RecordNames("statusReason", "effectiveDateTime", "effectivePeriod");

    private static MedicationAdministration MedicationAdministration(JsonElement e)
    {
        Base b = default;
        Record r = default;
        List<CodeableConcept?>? statusReason = null;
        string? effectiveDateTime = null;
        Period? effectivePeriod = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, AdministrationNames, ref seen))
            {
                case < 0: break;
                case < BaseCount and var i: b.Read(i, p.Value); break;
                case < RecordEnd and var i: r.Read(i - BaseCount, p.Value); break;
                case RecordEnd: statusReason = List(p.Value, ReadConcept); break;
                case RecordEnd + 1: effectiveDateTime = Str(p.Value); break;
                default: effectivePeriod = Obj(p.Value, ReadPeriod); break;
            }
        }

        return new MedicationAdministration
        {
            ResourceType = b.ResourceType, Id = b.Id, Meta = b.Meta, Extension = b.Extension, Contained = b.Contained,
            Status = r.Status, MedicationCodeableConcept = r.MedicationCodeableConcept, MedicationReference = r.MedicationReference,
            Subject = r.Subject, ReasonCode = r.ReasonCode!, ReasonReference = r.ReasonReference!,
            StatusReason = statusReason!, EffectiveDateTime = effectiveDateTime, EffectivePeriod = effectivePeriod,
        };
    }

    private static readonly byte[][] StatementNames = RecordNames("statusReason", "effectiveDateTime", "effectivePeriod", "dateAsserted");

    private static MedicationStatement MedicationStatement(JsonElement e)
    {
        Base b = default;
        Record r = default;
        List<CodeableConcept?>? statusReason = null;
        string? effectiveDateTime = null, dateAsserted = null;
        Period? effectivePeriod = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, StatementNames, ref seen))
            {
                case < 0: break;
                case < BaseCount and var i: b.Read(i, p.Value); break;
                case < RecordEnd and var i: r.Read(i - BaseCount, p.Value); break;
                case RecordEnd: statusReason = List(p.Value, ReadConcept); break;
                case RecordEnd + 1: effectiveDateTime = Str(p.Value); break;
                case RecordEnd + 2: effectivePeriod = Obj(p.Value, ReadPeriod); break;
                default: dateAsserted = Str(p.Value); break;
            }
        }

        return new MedicationStatement
        {
            ResourceType = b.ResourceType, Id = b.Id, Meta = b.Meta, Extension = b.Extension, Contained = b.Contained,
            Status = r.Status, MedicationCodeableConcept = r.MedicationCodeableConcept, MedicationReference = r.MedicationReference,
            Subject = r.Subject, ReasonCode = r.ReasonCode!, ReasonReference = r.ReasonReference!,
            StatusReason = statusReason!, EffectiveDateTime = effectiveDateTime, EffectivePeriod = effectivePeriod, DateAsserted = dateAsserted,
        };
    }

    private static readonly byte[][] DosageNames = [U("timing")];
    private static readonly byte[][] TimingNames = [U("repeat")];
    private static readonly byte[][] RepeatNames = [U("boundsPeriod")];
    private static readonly byte[][] DispenseNames = [U("validityPeriod")];

    private static Dosage ReadDosage(JsonElement e) => new() { Timing = One(e, DosageNames, ReadTiming) };

    private static Timing ReadTiming(JsonElement e) => new() { Repeat = One(e, TimingNames, ReadRepeat) };

    private static TimingRepeat ReadRepeat(JsonElement e) => new() { BoundsPeriod = One(e, RepeatNames, ReadPeriod) };

    private static DispenseRequest ReadDispenseRequest(JsonElement e) => new() { ValidityPeriod = One(e, DispenseNames, ReadPeriod) };

    /// <summary>The one object member a type with a single member holds.</summary>
    private static T? One<T>(JsonElement e, byte[][] name, Func<JsonElement, T> read)
        where T : class
    {
        T? value = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            if (Member(p, name, ref seen) == 0)
            {
                value = Obj(p.Value, read);
            }
        }

        return value;
    }

    private static readonly byte[][] IngredientNames = [U("itemCodeableConcept"), U("itemReference")];

    private static MedicationIngredient ReadIngredient(JsonElement e)
    {
        CodeableConcept? concept = null;
        ResourceReference? reference = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, IngredientNames, ref seen))
            {
                case 0: concept = Obj(p.Value, ReadConcept); break;
                case 1: reference = Obj(p.Value, ReadReference); break;
                default: break;
            }
        }

        return new MedicationIngredient { ItemCodeableConcept = concept, ItemReference = reference };
    }

    private static readonly byte[][] MedicationNames = Names("code", "ingredient");

    private static Medication Medication(JsonElement e)
    {
        Base b = default;
        CodeableConcept? code = null;
        List<MedicationIngredient?>? ingredient = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, MedicationNames, ref seen))
            {
                case < 0: break;
                case < BaseCount and var i: b.Read(i, p.Value); break;
                case 5: code = Obj(p.Value, ReadConcept); break;
                default: ingredient = List(p.Value, ReadIngredient); break;
            }
        }

        return new Medication
        {
            ResourceType = b.ResourceType, Id = b.Id, Meta = b.Meta, Extension = b.Extension, Contained = b.Contained,
            Code = code, Ingredient = ingredient!,
        };
    }

    private static readonly byte[][] ProcedureNames = Names("status", "code", "subject", "performedDateTime", "performedPeriod");

    private static Procedure Procedure(JsonElement e)
    {
        Base b = default;
        string? status = null, performedDateTime = null;
        CodeableConcept? code = null;
        ResourceReference? subject = null;
        Period? performedPeriod = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, ProcedureNames, ref seen))
            {
                case < 0: break;
                case < BaseCount and var i: b.Read(i, p.Value); break;
                case 5: status = Str(p.Value); break;
                case 6: code = Obj(p.Value, ReadConcept); break;
                case 7: subject = Obj(p.Value, ReadReference); break;
                case 8: performedDateTime = Str(p.Value); break;
                default: performedPeriod = Obj(p.Value, ReadPeriod); break;
            }
        }

        return new Procedure
        {
            ResourceType = b.ResourceType, Id = b.Id, Meta = b.Meta, Extension = b.Extension, Contained = b.Contained,
            Status = status, Code = code, Subject = subject, PerformedDateTime = performedDateTime, PerformedPeriod = performedPeriod,
        };
    }

    private static readonly byte[][] ReactionNames = [U("manifestation"), U("description")];

    private static AllergyReaction ReadReaction(JsonElement e)
    {
        List<CodeableConcept?>? manifestation = null;
        string? description = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, ReactionNames, ref seen))
            {
                case 0: manifestation = List(p.Value, ReadConcept); break;
                case 1: description = Str(p.Value); break;
                default: break;
            }
        }

        return new AllergyReaction { Manifestation = manifestation!, Description = description };
    }

    private static readonly byte[][] AllergyNames = Names(
        "clinicalStatus", "verificationStatus", "code", "patient", "criticality", "reaction");

    private static AllergyIntolerance AllergyIntolerance(JsonElement e)
    {
        Base b = default;
        CodeableConcept? clinicalStatus = null, verificationStatus = null, code = null;
        ResourceReference? patient = null;
        string? criticality = null;
        List<AllergyReaction?>? reaction = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, AllergyNames, ref seen))
            {
                case < 0: break;
                case < BaseCount and var i: b.Read(i, p.Value); break;
                case 5: clinicalStatus = Obj(p.Value, ReadConcept); break;
                case 6: verificationStatus = Obj(p.Value, ReadConcept); break;
                case 7: code = Obj(p.Value, ReadConcept); break;
                case 8: patient = Obj(p.Value, ReadReference); break;
                case 9: criticality = Str(p.Value); break;
                default: reaction = List(p.Value, ReadReaction); break;
            }
        }

        return new AllergyIntolerance
        {
            ResourceType = b.ResourceType, Id = b.Id, Meta = b.Meta, Extension = b.Extension, Contained = b.Contained,
            ClinicalStatus = clinicalStatus, VerificationStatus = verificationStatus, Code = code, Patient = patient,
            Criticality = criticality, Reaction = reaction!,
        };
    }

    private static readonly byte[][] ExtensionNames = [U("url"), U("valueCodeableConcept")];

    private static Extension Extension(JsonElement e)
    {
        string? url = null;
        CodeableConcept? value = null;
        var seen = 0UL;
        foreach (var p in e.EnumerateObject())
        {
            switch (Member(p, ExtensionNames, ref seen))
            {
                case 0: url = Str(p.Value); break;
                case 1: value = Obj(p.Value, ReadConcept); break;
                default: break;
            }
        }

        return new Extension { Url = url, ValueCodeableConcept = value };
    }
}
