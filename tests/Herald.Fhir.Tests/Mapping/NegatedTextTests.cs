using Herald.Fhir.Mapping;
using static Herald.Fhir.Tests.Support.FhirTest;

namespace Herald.Fhir.Tests.Mapping;

/// <summary>Text rules never read a denied or uncertain finding as present; a plain finding still reads as itself.</summary>
public sealed class NegatedTextTests
{
    [Theory]
    [InlineData("Negative for HER2 gene amplification", "not-amplified")]
    [InlineData("HER2 amplification not detected", "not-amplified")]
    [InlineData("Unamplified", "not-amplified")]
    [InlineData("No evidence of amplification", "not-amplified")]
    [InlineData("non-amplified", "not-amplified")]
    [InlineData("Non amplified, HER2/CEP17 ratio 1.3", "not-amplified")]
    [InlineData("HER2 gene: not amplified", "not-amplified")]
    [InlineData("No HER2 amplification identified", "not-amplified")]
    [InlineData("Amplification absent", "not-amplified")]
    [InlineData("HER2 amplified, ratio 2.4", "amplified")]
    [InlineData("Amplified, HER2/CEP17 ratio 2.4, average copy number 6.1", "amplified")]
    [InlineData("HER2 gene amplification present", "amplified")]
    [InlineData("ER negative PR negative HER2 amplified", "amplified")]
    [InlineData("HER2 amplified ER negative PR negative", "amplified")]
    [InlineData("HER2 gene amplification was not identified", "not-amplified")]
    [InlineData("Absence of HER2 amplification", "not-amplified")]
    [InlineData("Equivocal", "equivocal")]
    [InlineData("ISH equivocal, ratio 1.9", "equivocal")]
    public void An_ish_text_reads_as_what_it_says_about_amplification(string text, string expected) =>
        Assert.Equal(expected, TextRules.IshResult(text));

    [Theory]
    [InlineData("Amplified? Not amplified on repeat")]
    [InlineData("Possible amplification")]
    [InlineData("Amplification indeterminate")]
    [InlineData("Equivocal, not amplified")]
    [InlineData("Result pending")]
    public void An_ish_text_that_says_both_or_is_uncertain_is_not_read(string text) =>
        Assert.Null(TextRules.IshResult(text));

    [Theory]
    [InlineData("No evidence of disease progression", null)]
    [InlineData("Stable, no progression", "stable")]
    [InlineData("Stable disease without progression", "stable")]
    [InlineData("Non-progressive disease, stable", "stable")]
    [InlineData("Possible progression", null)]
    [InlineData("Progression indeterminate", null)]
    [InlineData("Disease progression", "progressing")]
    [InlineData("Progressive disease in the liver", "progressing")]
    [InlineData("Worsening", "progressing")]
    [InlineData("No evidence of disease", "not-detected")]
    [InlineData("Complete remission", "not-detected")]
    [InlineData("Partial response", "responding")]
    [InlineData("Stable disease", "stable")]
    [InlineData("Not responding, stable", "stable")]
    public void A_disease_status_text_reads_as_what_it_says(string text, string? expected) =>
        Assert.Equal(expected, TextRules.DiseaseTrend(text));

    [Theory]
    [InlineData("Not currently pregnant", "not-pregnant")]
    [InlineData("Pregnancy test negative", "not-pregnant")]
    [InlineData("Pregnancy test: negative", "not-pregnant")]
    [InlineData("Pregnancy status: not pregnant", "not-pregnant")]
    [InlineData("Non-pregnant", "not-pregnant")]
    [InlineData("Patient is not pregnant", "not-pregnant")]
    [InlineData("Pregnancy status unknown", "unknown")]
    [InlineData("Unknown", "unknown")]
    [InlineData("Possible pregnancy", null)]
    [InlineData("Pregnancy status", null)]
    [InlineData("Pregnant", "pregnant")]
    [InlineData("Patient currently pregnant", "pregnant")]
    [InlineData("Pregnancy test positive", "pregnant")]
    public void A_pregnancy_text_reads_as_what_it_says(string text, string? expected) =>
        Assert.Equal(expected, TextRules.Pregnancy(text));

    [Theory]
    [InlineData("No progression; stopped for neuropathy (toxicity)", "toxicity")]
    [InlineData("Well tolerated, no evidence of progression, course completed", "completed")]
    [InlineData("Incomplete course, patient declined further cycles", "patient-decision")]
    [InlineData("Not tolerated", "toxicity")]
    [InlineData("Possible progression", null)]
    [InlineData("Disease progression", "progression")]
    [InlineData("Infusion-related reaction", "toxicity")]
    [InlineData("Anaphylaxis", "toxicity")]
    [InlineData("Treatment completed", "completed")]
    public void A_stop_reason_text_reads_as_what_it_says(string text, string? expected) =>
        Assert.Equal(expected, TextRules.StopReason(text));

    [Theory]
    [InlineData("Positive", "positive")]
    [InlineData("ER positive, 90% of nuclei", "positive")]
    [InlineData("Negative (<1%)", "negative")]
    [InlineData("neg", "negative")]
    [InlineData("Not positive", null)]
    [InlineData("Not negative", null)]
    [InlineData("Positive? to be confirmed", null)]
    [InlineData("Status unknown, possibly positive", null)]
    [InlineData("Positive and negative areas", null)]
    public void A_positive_or_negative_text_is_read_only_when_it_says_one_plainly(string text, string? expected) =>
        Assert.Equal(expected, TextRules.PositiveNegative(text));

    [Theory]
    [InlineData("IHC 3+", "3+")]
    [InlineData("3+ (positive)", "3+")]
    [InlineData("IHC 1+", "1+")]
    [InlineData("0", "0")]
    [InlineData("IHC 0", "0")]
    public void An_ihc_score_written_as_text_is_read(string text, string expected) =>
        Assert.Equal(expected, TextRules.IhcScore(text));

    [Theory]
    [InlineData("No heart failure", null)]
    [InlineData("Non-diabetic", null)]
    [InlineData("Chronic diastolic heart failure", "heart-failure")]
    [InlineData("Type 2 diabetes mellitus", "diabetes")]
    public void A_denied_comorbidity_is_not_read(string text, string? expected) =>
        Assert.Equal(expected, TextRules.Comorbidity(text));

    [Theory]
    [InlineData("No metastatic disease", false)]
    [InlineData("Metastatic breast cancer, no brain metastases", true)]
    [InlineData("Secondary malignant neoplasm of liver", true)]
    public void A_denied_metastasis_is_not_a_secondary_cancer(string text, bool expected) =>
        Assert.Equal(expected, TextRules.SaysSecondary(text));

    [Theory]
    [InlineData("Metastases to bone, no brain involvement", "bone")]
    [InlineData("Brain metastases", "brain")]
    public void A_denied_site_is_not_the_site(string text, string expected) =>
        Assert.Equal(expected, TextRules.Site(text));

    [Theory]
    [InlineData("Negative for HER2 gene amplification")]
    [InlineData("HER2 amplification not detected")]
    [InlineData("Unamplified")]
    [InlineData("No evidence of amplification")]
    [InlineData("non-amplified")]
    public void A_her2_result_saying_amplification_is_absent_makes_the_patient_her2_negative_not_positive(string text)
    {
        var result = new Scenario()
            .Add(Observation("her2", Text("HER2 FISH"), "2019-09-20", "valueString", text))
            .Map();

        var her2 = result.Patient["receptors"]!["her2"]!;
        Assert.Equal("not-amplified", her2["ish"]!.GetValue<string>());
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void A_her2_result_that_is_uncertain_about_amplification_is_reported_unmapped_not_guessed()
    {
        var result = new Scenario()
            .Add(Observation("her2", Text("HER2 FISH"), "2019-09-20", "valueString", "Amplification indeterminate"))
            .Map();

        Assert.Null(result.Patient["receptors"]?["her2"]?["ish"]);
        Assert.Contains(result.Unmapped, u => u.Resource == "Observation/her2");
    }
}
