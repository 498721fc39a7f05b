using Herald.Fhir.Lines;
using static Herald.Fhir.Tests.Lines.LineBuilders;

namespace Herald.Fhir.Tests.Lines;

/// <summary>Which records form which line: the 28-day window, the 180-day gap, substitutions, early disease.</summary>
public class LineGroupingTests
{
    private static readonly DateOnly First = D("2019-01-10");

    [Fact]
    public void A_drug_started_28_days_after_the_first_joins_the_regimen()
    {
        var result = Derive([Use("MedicationRequest/t", "trastuzumab", First), Use("MedicationRequest/p", "pertuzumab", First.AddDays(28))]);

        var line = Assert.Single(result.Lines);
        Assert.Equal(["trastuzumab", "pertuzumab"], line.Agents);
        Assert.Contains("(trastuzumab, pertuzumab)", line.Rule(LineRules.RegimenWindow));
    }

    [Fact]
    public void A_new_drug_started_29_days_after_the_first_starts_a_new_line()
    {
        var result = Derive([Use("MedicationRequest/t", "trastuzumab", First), Use("MedicationRequest/p", "pertuzumab", First.AddDays(29))]);

        Assert.Equal(2, result.Lines.Count);
        Assert.Equal(["trastuzumab"], result.Lines[0].Agents);
        Assert.Equal(["pertuzumab"], result.Lines[1].Agents);
        Assert.Equal(S(First.AddDays(29)), result.Lines[1].Start);
        Assert.Contains("pertuzumab started", result.Lines[1].Rule(LineRules.NewDrug));
    }

    [Fact]
    public void The_window_counts_from_the_lines_first_drug_not_from_the_latest_one()
    {
        var result = Derive([
            Use("MedicationRequest/t", "trastuzumab", First, D("2019-06-01")),
            Use("MedicationRequest/p", "pertuzumab", First.AddDays(20), D("2019-06-01")),
            Use("MedicationRequest/d", "docetaxel", First.AddDays(40), D("2019-06-01")),
        ]);

        Assert.Equal(2, result.Lines.Count);
        Assert.Equal(["trastuzumab", "pertuzumab"], result.Lines[0].Agents);
        Assert.Equal(["docetaxel"], result.Lines[1].Agents);
    }

    [Fact]
    public void The_same_drugs_after_180_days_without_treatment_stay_in_the_line()
    {
        var result = Derive([Use("MedicationAdministration/1", "trastuzumab", First), Use("MedicationAdministration/2", "trastuzumab", First.AddDays(180))]);

        var line = Assert.Single(result.Lines);
        Assert.Contains("after 180 days without treatment", line.Rule(LineRules.SameDrugsRestarted));
        Assert.Equal(S(First.AddDays(180)), line.Stop);
    }

    [Fact]
    public void The_same_drugs_after_181_days_without_treatment_start_a_new_line()
    {
        var result = Derive([Use("MedicationAdministration/1", "trastuzumab", First), Use("MedicationAdministration/2", "trastuzumab", First.AddDays(181))]);

        Assert.Equal(2, result.Lines.Count);
        Assert.Equal(["trastuzumab"], result.Lines[1].Agents);
        Assert.Contains("no treatment for 181 days", result.Lines[1].Rule(LineRules.TreatmentGap));
    }

    [Fact]
    public void The_gap_counts_from_the_end_of_the_last_treatment_not_its_start()
    {
        // Treated continuously to 2019-12-31, then the same drug 100 days later: a short break, same line.
        var result = Derive([
            Use("MedicationStatement/1", "capecitabine", First, D("2019-12-31")),
            Use("MedicationStatement/2", "capecitabine", D("2019-12-31").AddDays(100)),
        ]);

        Assert.Single(result.Lines);
    }

    [Fact]
    public void Dropping_a_drug_does_not_start_a_new_line()
    {
        var uses = Cycles("trastuzumab", First, 12).Concat(Cycles("pertuzumab", First, 12)).Concat(Cycles("capecitabine", First, 4));

        var line = Assert.Single(Derive(uses).Lines);
        Assert.Equal(["trastuzumab", "pertuzumab", "capecitabine"], line.Agents);
        Assert.Null(line.TaxaneStopped);
    }

    [Fact]
    public void Many_cycles_of_one_drug_merge_into_one_span()
    {
        var result = Derive(Cycles("trastuzumab", First, 12));

        var line = Assert.Single(result.Lines);
        Assert.Equal(["trastuzumab"], line.Agents);
        Assert.Equal(S(First), line.Start);
        Assert.Equal(S(First.AddDays(11 * 21)), line.Stop);
        Assert.Equal(12, line.Sources.Count);
        Assert.Contains("trastuzumab: 12 records", line.Rule(LineRules.MergedRecords));
    }

    [Fact]
    public void Trastuzumab_given_in_the_new_lines_window_is_part_of_the_new_line_and_does_not_split_it()
    {
        // Line 1: trastuzumab + pertuzumab + docetaxel; trastuzumab goes on every 3 weeks throughout.
        // Line 2: capecitabine + lapatinib from 2019-08-15, with trastuzumab doses in its window.
        var capecitabineStart = D("2019-08-15");
        var uses = Cycles("trastuzumab", First, 20)
            .Concat(Cycles("pertuzumab", First, 10))
            .Concat(Cycles("docetaxel", First, 10))
            .Append(Use("MedicationRequest/cap", "capecitabine", capecitabineStart, D("2020-03-01")))
            .Append(Use("MedicationRequest/lap", "lapatinib", capecitabineStart, D("2020-03-01")));

        var result = Derive(uses);

        Assert.Equal(2, result.Lines.Count);
        Assert.Equal(["trastuzumab", "pertuzumab", "docetaxel"], result.Lines[0].Agents);
        // Same start day: knowledge-base order (lapatinib before capecitabine); trastuzumab joined later.
        Assert.Equal(["lapatinib", "capecitabine", "trastuzumab"], result.Lines[1].Agents);
        Assert.Equal(S(capecitabineStart), result.Lines[1].Start);
        Assert.Contains("trastuzumab of line 1", result.Lines[1].Rule(LineRules.Continued));

        // Trastuzumab doses in line 2 after its window continue line 2; they do not open a line 3.
        Assert.Contains("MedicationAdministration/trastuzumab-20", result.Lines[1].Sources);
        Assert.DoesNotContain("MedicationAdministration/trastuzumab-20", result.Lines[0].Sources);
    }

    [Fact]
    public void Trastuzumab_restarted_after_the_window_of_a_line_without_it_is_a_new_drug()
    {
        var uses = Cycles("trastuzumab-emtansine", First, 6).Concat(Cycles("trastuzumab", First.AddDays(150), 4));

        var result = Derive(uses);

        Assert.Equal(2, result.Lines.Count);
        Assert.Equal(["trastuzumab"], result.Lines[1].Agents);
    }

    [Fact]
    public void A_drug_of_the_old_regimen_given_on_the_day_a_new_drug_starts_belongs_to_the_new_line()
    {
        // "MedicationAdministration/a..." sorts before "MedicationRequest/z...": the order of records must not matter.
        var day = First.AddDays(90);
        var uses = new[]
        {
            Use("MedicationAdministration/a1", "trastuzumab", First),
            Use("MedicationAdministration/a2", "trastuzumab", day),
            Use("MedicationRequest/z", "capecitabine", day, day.AddDays(60)),
        };

        var result = Derive(uses);

        Assert.Equal(["trastuzumab", "capecitabine"], result.Lines[1].Agents);
        Assert.Equal(["MedicationAdministration/a1"], result.Lines[0].Sources);
    }

    [Fact]
    public void Switching_paclitaxel_to_nab_paclitaxel_is_a_listed_substitution()
    {
        var uses = Cycles("trastuzumab", First, 10).Concat(Cycles("paclitaxel", First, 3)).Concat(Cycles("nab-paclitaxel", First.AddDays(63), 3));

        var line = Assert.Single(Derive(uses).Lines);
        Assert.Equal(["trastuzumab", "paclitaxel", "nab-paclitaxel"], line.Agents);
        Assert.Contains("nab-paclitaxel for paclitaxel", line.Rule(LineRules.Substitution));
        Assert.DoesNotContain("nab-paclitaxel", line.Rule(LineRules.RegimenWindow));
    }

    [Fact]
    public void Switching_docetaxel_to_paclitaxel_is_not_listed_and_starts_a_new_line()
    {
        var uses = Cycles("trastuzumab", First, 10).Concat(Cycles("docetaxel", First, 3)).Concat(Cycles("paclitaxel", First.AddDays(63), 3));

        var result = Derive(uses);

        Assert.Equal(2, result.Lines.Count);
        Assert.Equal(["trastuzumab", "paclitaxel"], result.Lines[1].Agents);
    }

    [Fact]
    public void Lines_are_numbered_from_1_in_start_order_whatever_the_record_order()
    {
        var uses = new[]
        {
            Use("MedicationRequest/3", "eribulin", D("2021-01-01"), D("2021-05-01")),
            Use("MedicationRequest/1", "trastuzumab", D("2019-02-01"), D("2019-09-01")),
            Use("MedicationRequest/2", "trastuzumab-emtansine", D("2019-10-01"), D("2020-11-01")),
        };

        var result = Derive(uses);

        Assert.Equal([1, 2, 3], result.Lines.Select(l => l.Number));
        Assert.Equal(["trastuzumab", "trastuzumab-emtansine", "eribulin"], result.Lines.Select(l => l.Agents.Single()));
    }

    [Fact]
    public void A_combination_record_counts_each_agent()
    {
        var combo = new MedicationUse("MedicationRequest/phesgo", ["pertuzumab", "trastuzumab"], First, D("2019-06-01"), MedicationUseStatus.Completed, TreatmentIntent.Palliative, null, null);

        var line = Assert.Single(Derive([combo]).Lines);
        Assert.Equal(["trastuzumab", "pertuzumab"], line.Agents);
    }

    [Fact]
    public void Treatment_before_the_metastatic_diagnosis_is_early_disease_grouped_by_the_same_window()
    {
        // Adjuvant doxorubicin + cyclophosphamide, then paclitaxel + trastuzumab, then trastuzumab for a year.
        var ac = D("2016-01-04");
        var th = D("2016-03-28");
        var uses = Cycles("doxorubicin", ac, 4)
            .Concat(Cycles("cyclophosphamide", ac, 4))
            .Concat(Cycles("paclitaxel", th, 12, everyDays: 7))
            .Concat(Cycles("trastuzumab", th, 17));

        var result = Derive(uses);

        Assert.Empty(result.Lines);
        Assert.Equal(2, result.Early.Count);
        Assert.Equal(["doxorubicin", "cyclophosphamide"], result.Early[0].Agents);
        Assert.Equal(ac, result.Early[0].Start);
        Assert.Equal(["trastuzumab", "paclitaxel"], result.Early[1].Agents);
        Assert.Equal(th.AddDays(16 * 21), result.Early[1].Stop);
        Assert.Equal(29, result.Early[1].Sources.Count);
    }

    [Fact]
    public void Curative_intent_after_the_metastatic_diagnosis_is_early_disease_not_a_line()
    {
        var uses = new[]
        {
            Use("MedicationRequest/curative", "capecitabine", D("2019-02-01"), D("2019-06-01"), intent: TreatmentIntent.Curative),
            Use("MedicationRequest/palliative", "trastuzumab", D("2019-08-01"), D("2020-01-01"), intent: TreatmentIntent.Palliative),
        };

        var result = Derive(uses);

        var line = Assert.Single(result.Lines);
        Assert.Equal(["trastuzumab"], line.Agents);
        var early = Assert.Single(result.Early);
        Assert.Equal(["capecitabine"], early.Agents);
        Assert.Contains(result.Notes, n => n.Source == "MedicationRequest/curative" && n.Text.Contains("curative intent"));
    }

    [Fact]
    public void Unknown_intent_on_or_after_the_diagnosis_is_metastatic()
    {
        var result = Derive([Use("MedicationRequest/1", "trastuzumab", Diagnosis, D("2019-06-01"))]);

        Assert.Single(result.Lines);
        Assert.Empty(result.Early);
    }

    [Fact]
    public void An_early_record_running_past_the_metastatic_diagnosis_stops_there_with_a_note()
    {
        var result = Derive([Use("MedicationStatement/tam", "tamoxifen", D("2016-06-01"), D("2019-05-01"))]);

        var early = Assert.Single(result.Early);
        Assert.Equal(Diagnosis, early.Stop);
        Assert.Empty(result.Lines);
        Assert.Contains(result.Notes, n => n.Source == "MedicationStatement/tam" && n.Field == "earlyDisease.regimens");
    }

    [Fact]
    public void Records_starting_after_the_assessment_date_are_left_out_with_a_note()
    {
        var result = DeriveAsOf(D("2019-06-01"), [Use("MedicationRequest/planned", "trastuzumab", D("2019-07-01"))]);

        Assert.Empty(result.Lines);
        Assert.Contains(result.Notes, n => n.Source == "MedicationRequest/planned");
    }

    [Fact]
    public void An_agent_id_the_knowledge_base_does_not_know_is_left_out_with_a_note()
    {
        var result = Derive([Use("MedicationRequest/x", "not-a-drug", First, D("2019-03-01"))]);

        Assert.Empty(result.Lines);
        Assert.Contains(result.Notes, n => n.Source == "MedicationRequest/x" && n.Text.Contains("not-a-drug"));
    }
}
