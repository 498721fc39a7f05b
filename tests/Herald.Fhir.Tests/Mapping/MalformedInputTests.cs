using System.Text.Json.Nodes;
using Herald.Fhir.Tests.Reference;
using static Herald.Fhir.Tests.Support.FhirTest;

namespace Herald.Fhir.Tests.Mapping;

/// <summary>
/// Malformed FHIR the fuzzing against the Firely SDK found (Reference/FuzzTests): each was an exception escaping the
/// reader or the mapper, or a malformed value read as if it meant something. Each is now an error naming the
/// element, and the resource is left out, as Firely refuses it too.
/// </summary>
public sealed class MalformedInputTests
{
    private static readonly string Subject = """ "subject":{"reference":"Patient/p"} """;

    [Theory]
    [InlineData("２０２０-01-01")] // full-width digits: .NET's \d matched them, int.Parse then threw
    [InlineData("１９９９")]
    [InlineData("2020-01-01T25:00:00Z")] // an hour out of range was accepted
    [InlineData("2020-01-01T10:61:00Z")]
    [InlineData("2020-01-01T10:00:00+15:00")] // a zone beyond ±14:00
    [InlineData(" 2020-01-01")] // surrounding space was trimmed away
    public void AMalformedDateIsAnErrorNotAnException(string date)
    {
        var json = $$"""{"resourceType":"Condition","id":"c",{{Subject}},"onsetDateTime":"{{date}}"}""";
        var error = Assert.Single(FhirResourceSet.Parse(json).Errors);
        Assert.Equal("resource(Condition/c).onsetDateTime", error.Path);
        Assert.Contains("not a FHIR date", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2020-01-01T10:00")] // no seconds
    [InlineData("2020-01-01T10:00:00")] // no time zone
    [InlineData("2020-01-01T23:59:60Z")] // a leap second, as FHIR's grammar allows
    [InlineData("2020-01-01T10:00:00-14:00")]
    public void ADateTimeWithoutSecondsOrZoneIsReadByItsDate(string date)
    {
        var json = $$"""{"resourceType":"Condition","id":"c",{{Subject}},"onsetDateTime":"{{date}}"}""";
        Assert.Empty(FhirResourceSet.Parse(json).Errors);
    }

    [Theory]
    [InlineData("""{"resourceType":"Condition","id":"\ud800",SUBJECT}""", "resource(Condition/?).id")]
    [InlineData("""{"resourceType":"Condition","id":"c",SUBJECT,"code":{"text":"\ud800"}}""", "resource(Condition/c).code.text")]
    [InlineData("""{"resourceType":"Bundle","entry":[{"fullUrl":"\udc00","resource":{"resourceType":"Condition","id":"c",SUBJECT}}]}""", "entry[0].fullUrl")]
    [InlineData("""{"resourceType":"\ud800","id":"c"}""", "resource.resourceType")]
    [InlineData("""{"resourceType":"MedicationRequest","id":"m","status":"active",SUBJECT,"medicationReference":{"reference":"#x"},"contained":[{"resourceType":"Medication","id":"x","code":{"text":"a\ud800"}}]}""",
        "resource(MedicationRequest/m).contained[0].code.text")]
    public void ALoneSurrogateEscapeIsAnErrorNotAnException(string json, string path)
    {
        var errors = FhirResourceSet.Parse(json.Replace("SUBJECT", Subject, StringComparison.Ordinal)).Errors;
        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Contains("surrogate", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"resourceType":"Observation","id":"o","status":"final","code":{"coding":[{"code":"1"},null]}}""", "resource(Observation/o).code.coding[1]")]
    [InlineData("""{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"focus":[null]}""", "resource(Observation/o).focus[0]")]
    [InlineData("""{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"meta":{"profile":[null]}}""", "resource(Observation/o).meta.profile[0]")]
    [InlineData("""{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"extension":[null]}""", "resource(Observation/o).extension[0]")]
    [InlineData("""{"resourceType":"MedicationRequest","id":"m","status":"active",SUBJECT,"medicationCodeableConcept":{"text":"x"},"dosageInstruction":[null]}""",
        "resource(MedicationRequest/m).dosageInstruction[0]")]
    public void NullInsideAnArrayIsAnErrorAndTheMapperNeverSeesIt(string json, string path)
    {
        var read = FhirResourceSet.Parse(json.Replace("SUBJECT", Subject, StringComparison.Ordinal));
        var error = Assert.Single(read.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains("null", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, read.Resources.Count);
        Assert.NotNull(FhirPatientMapper.Map(read.Resources, Kb, D("2030-01-01"))); // before: a NullReferenceException in the mapper
    }

    [Fact]
    public void TheMappersCodeReadersSkipANullCoding()
    {
        // Defence in depth: the reader refuses such a resource, but Coded never throws on one either.
        var concept = new Herald.Fhir.Model.CodeableConcept { Coding = [null!, new Herald.Fhir.Model.Coding { System = Loinc, Code = "1" }] };
        Assert.True(Herald.Fhir.Mapping.Coded.HasCode(concept, Loinc, "1"));
        Assert.Single(Herald.Fhir.Mapping.Coded.Values(concept));
        Assert.Equal("1", Herald.Fhir.Mapping.Coded.StatusCode(concept));
    }

    [Theory]
    [InlineData("""{"resourceType":"Observation","id":"o","code":{"text":"x"}}""", "resource(Observation/o).status")]
    [InlineData("""{"resourceType":"Observation","id":"o","status":" ","code":{"text":"x"}}""", "resource(Observation/o).status")]
    [InlineData("""{"resourceType":"Observation","id":"o","status":"final"}""", "resource(Observation/o).code")]
    [InlineData("""{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"component":[{"valueInteger":1}]}""", "resource(Observation/o).component[0].code")]
    [InlineData("""{"resourceType":"Condition","id":"c","code":{"text":"x"}}""", "resource(Condition/c).subject")]
    [InlineData("""{"resourceType":"MedicationAdministration","id":"a","status":"completed",SUBJECT,"medicationCodeableConcept":{"text":"x"}}""", "resource(MedicationAdministration/a).effective[x]")]
    [InlineData("""{"resourceType":"MedicationStatement","id":"s","status":"active",SUBJECT}""", "resource(MedicationStatement/s).medication[x]")]
    [InlineData("""{"resourceType":"MedicationRequest","id":"m","status":null,SUBJECT,"medicationCodeableConcept":{"text":"x"}}""", "resource(MedicationRequest/m).status")]
    [InlineData("""{"resourceType":"Procedure","id":"p","status":"completed"}""", "resource(Procedure/p).subject")]
    [InlineData("""{"resourceType":"AllergyIntolerance","id":"a","code":{"text":"x"}}""", "resource(AllergyIntolerance/a).patient")]
    [InlineData("""{"resourceType":"AllergyIntolerance","id":"a","patient":{"reference":"Patient/p"},"reaction":[{"description":"rash"}]}""", "resource(AllergyIntolerance/a).reaction[0].manifestation")]
    [InlineData("""{"resourceType":"Medication","id":"m","ingredient":[{"strength":{"numerator":{"value":1}}}]}""", "resource(Medication/m).ingredient[0].item[x]")]
    public void AnElementFhirRequiresIsAnErrorWhenMissing(string json, string path)
    {
        // Before, an Observation without a status was used (it might have been entered in error), and a medication
        // record without a date was dropped with only a note.
        var error = Assert.Single(FhirResourceSet.Parse(json.Replace("SUBJECT", Subject, StringComparison.Ordinal)).Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains("required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMalformedTreatmentIntentIsAnErrorNotAnAbsentIntent()
    {
        // Before, the mapper read a malformed mCODE intent extension as absent: a curative regimen lost its intent silently.
        var administration = Administration("a", Rx("224905", "trastuzumab"), "2020-01-01", "2020-01-01", intent: "373808002");
        administration["extension"]![0]!["valueCodeableConcept"]!["coding"]![0]!["code"] = 373808002;
        var error = Assert.Single(FhirResourceSet.Parse(Bundle(Patient(), administration)).Errors);
        Assert.Equal("entry[1].resource(MedicationAdministration/a).extension[0].valueCodeableConcept.coding[0].code", error.Path);
        Assert.Equal("expected a string", error.Message);
    }

    [Fact]
    public void AMalformedContainedMedicationIsAnErrorNotAnUnknownDrug()
    {
        // Before, the mapper could not resolve it and dropped the drug as an unknown, not plausibly anticancer, one.
        var administration = new JsonObject
        {
            ["resourceType"] = "MedicationAdministration", ["id"] = "a", ["status"] = "completed", ["subject"] = PatientRef,
            ["effectiveDateTime"] = "2020-01-01", ["medicationReference"] = new JsonObject { ["reference"] = "#m" },
            ["contained"] = new JsonArray(new JsonObject { ["resourceType"] = "Medication", ["id"] = "m", ["code"] = new JsonArray("trastuzumab") }),
        };
        var error = Assert.Single(FhirResourceSet.Parse(Bundle(Patient(), administration)).Errors);
        Assert.Equal("entry[1].resource(MedicationAdministration/a).contained[0].code", error.Path);
    }

    [Theory]
    [InlineData("""{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"valueQuantity":{"value":1e400}}""", "expected a number")]
    [InlineData("""{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"valueInteger":99999999999}""", "expected an integer")]
    [InlineData("""{"resourceType":"Observation","id":"o","status":79228162514264337593543950336,"code":{"text":"x"}}""", "expected a string")]
    public void ANumberOutOfRangeSaysWhatWasExpected(string json, string message)
    {
        // Before, a decimal beyond range was reported as "expected an object".
        Assert.StartsWith(message, Assert.Single(FhirResourceSet.Parse(json).Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMemberGivenTwiceIsAnErrorNotTheLastOneWins()
    {
        // Before, "final" then "entered-in-error" read as entered-in-error, and the reverse as final.
        var json = """{"resourceType":"Observation","id":"o","status":"entered-in-error","code":{"text":"x"},"status":"final"}""";
        var error = Assert.Single(FhirResourceSet.Parse(json).Errors);
        Assert.Equal("resource(Observation/o).status", error.Path);
        Assert.Contains("twice", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"valueString":"positive","valueCodeableConcept":{"text":"negative"}}""", "resource(Observation/o).value[x]")]
    [InlineData("""{"resourceType":"Condition","id":"c",SUBJECT,"onsetDateTime":"2020-01-01","onsetPeriod":{"start":"2019-01-01"}}""", "resource(Condition/c).onset[x]")]
    [InlineData("""{"resourceType":"MedicationStatement","id":"s","status":"active",SUBJECT,"medicationCodeableConcept":{"text":"a"},"medicationReference":{"reference":"Medication/b"}}""", "resource(MedicationStatement/s).medication[x]")]
    [InlineData("""{"resourceType":"Condition","id":"c",SUBJECT,"extension":[{"url":"http://example.org/x","valueCodeableConcept":{"text":"a"},"valueQuantity":{"value":1}}]}""", "resource(Condition/c).extension[0].value[x]")]
    public void AChoiceElementGivenAsTwoTypesIsAnError(string json, string path)
    {
        // Before, the mapper read whichever type it looked at first.
        var error = Assert.Single(FhirResourceSet.Parse(json.Replace("SUBJECT", Subject, StringComparison.Ordinal)).Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains("more than one type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANullFullUrlIsReadAsAbsent()
    {
        var json = $$$"""{"resourceType":"Bundle","entry":[{"fullUrl":null,"resource":{"resourceType":"Condition","id":"c",{{{Subject}}}}}]}""";
        var read = FhirResourceSet.Parse(json);
        Assert.Empty(read.Errors);
        Assert.Equal(1, read.Resources.Count);
    }

    [Fact]
    public void AContainedResourceWithoutAResourceTypeIsAnError()
    {
        var json = $$"""{"resourceType":"Condition","id":"c",{{Subject}},"contained":[{"id":"x"}]}""";
        Assert.Equal("resource(Condition/c).contained[0].resourceType", Assert.Single(FhirResourceSet.Parse(json).Errors).Path);
    }

    [Fact]
    public void TheDifferentialComparisonReportsAReaderThatReadsDifferently()
    {
        // The comparison itself can fail: a reading that differs from Firely's in one element is reported with the element.
        var herald = new Reading("Observation", "o");
        herald.Add("status", "final");
        var firely = new Reading("Observation", "o");
        firely.Add("status", "amended");
        Assert.Equal(["status: 'final' vs 'amended'"], herald.DifferencesFrom(firely));
    }
}
