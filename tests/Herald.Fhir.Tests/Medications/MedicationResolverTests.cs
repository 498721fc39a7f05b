using Herald.Core.Knowledge;
using Herald.Fhir.Lines;
using Herald.Fhir.Medications;
using Herald.Knowledge;

namespace Herald.Fhir.Tests.Medications;

public class MedicationResolverTests
{
    private const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";

    private static KnowledgeBase Kb => KnowledgeLoader.LoadEmbeddedOrThrow();

    private static AgentResolution Resolve(string? text, params CodedValue[] codings) => MedicationResolver.Resolve(codings, text, Kb);

    [Fact]
    public void An_rxnorm_ingredient_code_names_its_agent()
    {
        var result = Resolve(null, new CodedValue(RxNorm, "224905", "trastuzumab"));

        Assert.Equal(["trastuzumab"], result.Agents);
        Assert.Equal(AgentMatch.Ingredient, result.How);
        Assert.Equal("RxNorm 224905 (ingredient) → trastuzumab", result.Detail);
    }

    [Fact]
    public void A_medium_confidence_ingredient_code_says_so()
    {
        var result = Resolve(null, new CodedValue(RxNorm, "2267582", null));

        Assert.Equal(["trastuzumab-deruxtecan"], result.Agents);
        Assert.Contains("medium confidence", result.Detail);
    }

    [Fact]
    public void The_rxnorm_oid_is_accepted_as_the_system()
    {
        var result = Resolve(null, new CodedValue("urn:oid:2.16.840.1.113883.6.88", "1298944", null));

        Assert.Equal(["pertuzumab"], result.Agents);
    }

    [Fact]
    public void A_brand_code_names_its_ingredient()
    {
        var result = Resolve(null, new CodedValue(RxNorm, "1371046", "Kadcyla"));

        Assert.Equal(["trastuzumab-emtansine"], result.Agents);
        Assert.Equal(AgentMatch.Product, result.How);
        Assert.Equal("RxNorm 1371046 (brand product, medium confidence) → trastuzumab emtansine", result.Detail);
    }

    [Theory]
    [InlineData("101306", "trastuzumab")]
    [InlineData("1298949", "pertuzumab")]
    [InlineData("659616", "lapatinib")]
    [InlineData("1940649", "neratinib")]
    [InlineData("2119714", "trastuzumab")]
    [InlineData("1658084", "trastuzumab-emtansine")]
    [InlineData("672149", "lapatinib")]
    [InlineData("1940648", "neratinib")]
    [InlineData("2361290", "tucatinib")]
    public void Each_listed_product_code_maps_to_its_ingredient(string code, string agent)
    {
        var result = Resolve(null, new CodedValue(RxNorm, code, null));

        Assert.Equal([agent], result.Agents);
        Assert.Equal(AgentMatch.Product, result.How);
    }

    [Fact]
    public void A_clinical_drug_code_says_it_is_a_clinical_drug()
    {
        var result = Resolve("tucatinib 150 MG Oral Tablet", new CodedValue(RxNorm, "2361290", "tucatinib 150 MG Oral Tablet"));

        Assert.Equal(AgentMatch.Product, result.How);
        Assert.StartsWith("RxNorm 2361290 (clinical drug", result.Detail);
    }

    [Fact]
    public void A_product_code_wins_over_contradicting_text()
    {
        var result = Resolve("paclitaxel", new CodedValue(RxNorm, "659616", null));

        Assert.Equal(["lapatinib"], result.Agents);
    }

    [Fact]
    public void Codes_of_other_systems_are_not_read_as_rxnorm()
    {
        // 224905 is trastuzumab only in RxNorm.
        var result = Resolve(null, new CodedValue("http://snomed.info/sct", "224905", null));

        Assert.Equal(AgentMatch.None, result.How);
        Assert.Empty(result.Agents);
    }

    [Fact]
    public void Text_names_an_antibody_drug_conjugate_without_also_naming_trastuzumab()
    {
        var result = Resolve("ado-trastuzumab emtansine 100 MG Injection");

        Assert.Equal(["trastuzumab-emtansine"], result.Agents);
        Assert.Equal(AgentMatch.Text, result.How);
        Assert.Equal("text 'ado-trastuzumab emtansine 100 MG Injection' → trastuzumab emtansine", result.Detail);
    }

    [Theory]
    [InlineData("fam-trastuzumab deruxtecan-nxki 100 MG Injection", "trastuzumab-deruxtecan")]
    [InlineData("Trastuzumab Deruxtecan", "trastuzumab-deruxtecan")]
    [InlineData("T-DM1", "trastuzumab-emtansine")]
    [InlineData("paclitaxel protein-bound particles 100 MG", "nab-paclitaxel")]
    [InlineData("PACLITAXEL 6 MG/ML Injectable Solution", "paclitaxel")]
    [InlineData("trastuzumab-hyaluronidase-oysk 600 MG", "trastuzumab")]
    public void Text_matches_whole_names_and_aliases_longest_first(string text, string agent)
    {
        var result = Resolve(text);

        Assert.Equal([agent], result.Agents);
    }

    [Fact]
    public void A_combination_product_by_text_names_both_antibodies()
    {
        var result = Resolve("pertuzumab / trastuzumab / hyaluronidase-zzxf Injection");

        Assert.Equal(["pertuzumab", "trastuzumab"], result.Agents);
        Assert.Equal(AgentMatch.Text, result.How);
    }

    [Fact]
    public void A_name_inside_another_word_is_not_a_match()
    {
        // "capecitabineX" and "xlapatinib" are not whole words.
        var result = Resolve("capecitabineX xlapatinib");

        Assert.Equal(AgentMatch.None, result.How);
    }

    [Fact]
    public void An_unknown_code_falls_back_to_the_coding_display_and_says_the_code_was_unknown()
    {
        var result = Resolve(null, new CodedValue(RxNorm, "999999999", "capecitabine 500 MG Oral Tablet"));

        Assert.Equal(["capecitabine"], result.Agents);
        Assert.Equal(AgentMatch.Text, result.How);
        Assert.StartsWith("RxNorm 999999999 not in the knowledge base or medications.yaml; text 'capecitabine 500 MG Oral Tablet'", result.Detail);
    }

    [Fact]
    public void An_unknown_code_with_no_name_in_the_text_resolves_to_nothing()
    {
        var result = Resolve("Acetaminophen 325 MG Oral Tablet", new CodedValue(RxNorm, "313782", "Acetaminophen 325 MG Oral Tablet"));

        Assert.Empty(result.Agents);
        Assert.Equal(AgentMatch.None, result.How);
        Assert.Contains("RxNorm 313782", result.Detail);
    }

    [Fact]
    public void Every_product_row_names_knowledge_base_agents_and_no_ingredient_code()
    {
        var ingredientCodes = Kb.Agents.Where(a => a.RxNorm?.Code is not null).Select(a => a.RxNorm!.Code).ToHashSet();
        Assert.NotEmpty(MedicationCodeTable.Products);
        foreach (var product in MedicationCodeTable.Products)
        {
            Assert.All(product.Ingredients, id => Assert.NotNull(Kb.FindAgent(id)));
            Assert.DoesNotContain(product.Code, ingredientCodes);
            Assert.Equal(RxNorm, product.System);
        }
    }

    [Fact]
    public void Product_displays_use_generic_names_only()
    {
        string[] brands = ["herceptin", "perjeta", "kadcyla", "tykerb", "nerlynx", "tukysa", "enhertu", "phesgo", "hylecta"];
        foreach (var product in MedicationCodeTable.Products)
        {
            Assert.DoesNotContain(brands, b => product.Display.Contains(b, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void The_table_rejects_unverified_rows_and_duplicates()
    {
        const string Row = """
              - system: http://www.nlm.nih.gov/research/umls/rxnorm
                code: "1"
                display: x
                ingredients: [trastuzumab]
                kind: brand
                confidence: {0}
                source: s
            """;
        var unverified = "products:\n" + Row.Replace("{0}", "unverified");
        var duplicate = "products:\n" + Row.Replace("{0}", "medium") + "\n" + Row.Replace("{0}", "medium");

        Assert.Contains("confidence", Assert.Throws<InvalidDataException>(() => MedicationCodeTable.Parse(unverified)).Message);
        Assert.Contains("twice", Assert.Throws<InvalidDataException>(() => MedicationCodeTable.Parse(duplicate)).Message);
        Assert.Single(MedicationCodeTable.Parse("products:\n" + Row.Replace("{0}", "medium")));
    }
}
