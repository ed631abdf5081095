//! Header records: everything but vouchers and `#KSUMMA` (`#FLAGGA`, `#RAR`, `#KONTO`,
//! `#DIM`, `#OBJEKT`, `#IB`/`#UB`/`#RES`, `#PSALDO`/`#PBUDGET`, …), and unknown records.

use super::*;
use crate::date::Period;
impl Core {
    pub(super) fn account_entry(&mut self, id: u32, sym: Sym) -> &mut Account {
        let idx = match self.account_index.get(&id) {
            Some(&i) => i,
            None => {
                self.file.accounts.push(Account {
                    number: sym,
                    name: String::new(),
                    kind: None,
                    unit: None,
                    sru: Vec::new(),
                    line: 0,
                });
                let i = self.file.accounts.len() - 1;
                self.account_index.insert(id, i);
                i
            }
        };
        &mut self.file.accounts[idx]
    }

    pub(super) fn header_record(
        &mut self,
        label: &[u8],
        line: &[u8],
        fields: &[Field],
    ) -> RecResult<()> {
        let lbl = String::from_utf8_lossy(label);
        let need = |i: usize, what: &str| -> RecResult<Field> {
            fields
                .get(i)
                .copied()
                .ok_or_else(|| missing(line, &lbl, what))
        };
        match label {
            b"#FLAGGA" => self.file.flag = Some(self.text_of(line, &need(1, "flagga")?)),
            b"#FORMAT" => self.file.format = Some(self.text_of(line, &need(1, "format")?)),
            b"#SIETYP" => {
                let f = need(1, "typ")?;
                let t = self.text_of(line, &f);
                let ty = t.parse::<u8>().ok().and_then(SieType::from_number);
                match ty {
                    Some(ty) => self.file.sie_type = Some(ty),
                    None => {
                        return Err(Problem {
                            offset: f.start as usize,
                            message: format!("`{t}` är ingen SIE-typ (1, 2, 3 eller 4)"),
                            code: Code::Syntax,
                        })
                    }
                }
            }
            b"#PROGRAM" => {
                self.file.program = Some(Program {
                    name: self.text_of(line, &need(1, "programnamn")?),
                    version: self.opt_text(line, fields, 2),
                })
            }
            b"#GEN" => {
                let date = self.date(line, &need(1, "datum")?, "genereringsdatum")?;
                self.file.generated = Some(Generated {
                    date,
                    signature: self.opt_text(line, fields, 2),
                });
            }
            b"#PROSA" => self.file.prose = self.opt_text(line, fields, 1),
            b"#FTYP" => self.file.company_type = self.opt_text(line, fields, 1),
            b"#FNR" => self.file.company_id = self.opt_text(line, fields, 1),
            b"#ORGNR" => {
                self.file.org_number = Some(OrgNumber {
                    number: self.text_of(line, &need(1, "organisationsnummer")?),
                    acquisition: self.opt_text(line, fields, 2),
                    activity: self.opt_text(line, fields, 3),
                })
            }
            b"#BKOD" => self.file.industry_code = self.opt_text(line, fields, 1),
            b"#ADRESS" => {
                let t = |i| self.opt_text(line, fields, i).unwrap_or_default();
                self.file.address = Some(Address {
                    contact: t(1),
                    street: t(2),
                    postal: t(3),
                    phone: t(4),
                });
            }
            b"#FNAMN" => self.file.company_name = self.opt_text(line, fields, 1),
            b"#RAR" => {
                let index = self.year_index(line, fields.get(1), &lbl)?;
                let start = self.date(line, &need(2, "startdatum")?, "startdatum")?;
                let end = self.date(line, &need(3, "slutdatum")?, "slutdatum")?;
                if end < start {
                    return Err(Problem {
                        offset: fields[3].start as usize,
                        message: "räkenskapsåret slutar innan det börjar".to_string(),
                        code: Code::Syntax,
                    });
                }
                self.file.fiscal_years.retain(|y| y.index != index);
                self.file
                    .fiscal_years
                    .push(FiscalYear { index, start, end });
            }
            b"#TAXAR" => {
                let f = need(1, "år")?;
                let t = self.text_of(line, &f);
                self.file.tax_year = Some(t.parse::<u16>().map_err(|_| Problem {
                    offset: f.start as usize,
                    message: format!("`{t}` är inget år"),
                    code: Code::Syntax,
                })?);
            }
            b"#OMFATTN" => {
                self.file.balances_through = Some(self.date(line, &need(1, "datum")?, "datum")?)
            }
            b"#KPTYP" => self.file.chart_type = self.opt_text(line, fields, 1),
            b"#VALUTA" => self.file.currency = self.opt_text(line, fields, 1),
            b"#KONTO" => {
                let (id, sym) = self.sym_of(line, &need(1, "kontonummer")?);
                let name = self.opt_text(line, fields, 2).unwrap_or_default();
                let ln = self.line_no;
                self.info[id as usize].declared = true;
                let a = self.account_entry(id, sym);
                a.name = name;
                a.line = ln;
            }
            b"#KTYP" => {
                let (id, sym) = self.sym_of(line, &need(1, "kontonummer")?);
                let f = need(2, "kontotyp")?;
                let t = self.text_of(line, &f);
                let kind = AccountType::from_letter(&t).ok_or_else(|| Problem {
                    offset: f.start as usize,
                    message: format!("`{t}` är ingen kontotyp (T, S, K eller I)"),
                    code: Code::Syntax,
                })?;
                self.account_entry(id, sym).kind = Some(kind);
            }
            b"#ENHET" => {
                let (id, sym) = self.sym_of(line, &need(1, "kontonummer")?);
                let unit = self.opt_text(line, fields, 2);
                self.account_entry(id, sym).unit = unit;
            }
            b"#SRU" => {
                let (id, sym) = self.sym_of(line, &need(1, "kontonummer")?);
                let code = self.text_of(line, &need(2, "SRU-kod")?);
                self.account_entry(id, sym).sru.push(code);
            }
            b"#DIM" | b"#UNDERDIM" => {
                let f = need(1, "dimensionsnummer")?;
                let number = self.dim_number(line, &f)?;
                let name = self.opt_text(line, fields, 2).unwrap_or_default();
                let parent = if label == b"#UNDERDIM" {
                    let p = need(3, "överordnad dimension")?;
                    Some(self.dim_number(line, &p)?)
                } else {
                    None
                };
                self.file.dimensions.retain(|d| d.number != number);
                self.file.dimensions.push(Dimension {
                    number,
                    name,
                    parent,
                });
            }
            b"#OBJEKT" => {
                let dimension = self.dim_number(line, &need(1, "dimensionsnummer")?)?;
                let (_, id) = self.sym_of(line, &need(2, "objekt-id")?);
                let name = self.opt_text(line, fields, 3).unwrap_or_default();
                self.file.objects.push(Object {
                    dimension,
                    id,
                    name,
                });
            }
            b"#IB" | b"#UB" | b"#RES" => {
                let year = self.year_index(line, fields.get(1), &lbl)?;
                let (_, account) = self.sym_of(line, &need(2, "konto")?);
                let amount = amount(line, &need(3, "belopp")?)?;
                let quantity = match fields.get(4) {
                    Some(f) if f.end > f.start => Some(quantity(line, f)?),
                    _ => None,
                };
                let b = Balance {
                    year,
                    account,
                    amount,
                    quantity,
                    line: self.line_no,
                };
                match label {
                    b"#IB" => self.file.opening_balances.push(b),
                    b"#UB" => self.file.closing_balances.push(b),
                    _ => self.file.results.push(b),
                }
            }
            b"#OIB" | b"#OUB" => {
                let year = self.year_index(line, fields.get(1), &lbl)?;
                let (_, account) = self.sym_of(line, &need(2, "konto")?);
                let (objects, i) = self.optional_list(line, fields, 3)?;
                let amount = amount(line, &need(i, "amount")?)?;
                let quantity = match fields.get(i + 1) {
                    Some(f) if f.end > f.start => Some(quantity(line, f)?),
                    _ => None,
                };
                let b = ObjectBalance {
                    year,
                    account,
                    objects,
                    amount,
                    quantity,
                    line: self.line_no,
                };
                if label == b"#OIB" {
                    self.file.object_opening_balances.push(b);
                } else {
                    self.file.object_closing_balances.push(b);
                }
            }
            b"#PSALDO" | b"#PBUDGET" => {
                let year = self.year_index(line, fields.get(1), &lbl)?;
                let pf = need(2, "period")?;
                let pb = field_bytes(line, &pf);
                let period = Period::parse(&pb).ok_or_else(|| Problem {
                    offset: pf.start as usize,
                    message: format!(
                        "`{}` är ingen period; perioder skrivs ÅÅÅÅMM",
                        String::from_utf8_lossy(&pb)
                    ),
                    code: Code::Syntax,
                })?;
                let (_, account) = self.sym_of(line, &need(3, "konto")?);
                let (objects, i) = self.optional_list(line, fields, 4)?;
                let amount = amount(line, &need(i, "amount")?)?;
                let quantity = match fields.get(i + 1) {
                    Some(f) if f.end > f.start => Some(quantity(line, f)?),
                    _ => None,
                };
                // #PSALDO only: exporters commonly give #PBUDGET of year 0 the index -1.
                if let Some(fy) = self.file.fiscal_year(year).filter(|_| label == b"#PSALDO") {
                    if period < fy.start.period() || period > fy.end.period() {
                        let col = self.column(line, pf.start as usize);
                        let ln = self.line_no;
                        let (s, e) = (fy.start, fy.end);
                        self.push_diag(
                            Severity::Warning,
                            ln,
                            col,
                            Code::DateOutsideYear,
                            format!("perioden {period} ligger utanför år {year} ({s} – {e}, #RAR {year}); kontrollera årsnumret eller perioden"),
                        );
                    }
                }
                let p = PeriodBalance {
                    year,
                    period,
                    account,
                    objects,
                    amount,
                    quantity,
                    line: self.line_no,
                };
                if label == b"#PSALDO" {
                    self.file.period_balances.push(p);
                } else {
                    self.file.period_budgets.push(p);
                }
            }
            _ => {
                let rest_start = fields[0].end as usize;
                let rest = encoding::decode(&line[rest_start..], self.encoding)
                    .trim()
                    .to_string();
                self.file.unknown_records.push(UnknownRecord {
                    label: lbl.clone().into_owned(),
                    rest,
                    line: self.line_no,
                });
                return Err(Problem {
                    offset: 0,
                    message: format!("okänd post {lbl} sparas men tolkas inte; ingen åtgärd behövs om inte uppgifterna i den behövs"),
                    code: Code::UnknownRecord,
                });
            }
        }
        Ok(())
    }

    pub(super) fn optional_list(
        &mut self,
        line: &[u8],
        fields: &[Field],
        i: usize,
    ) -> RecResult<(ObjectList, usize)> {
        match fields.get(i) {
            Some(f) if f.kind == Kind::List => Ok((self.objects(line, f)?, i + 1)),
            _ => Ok((ObjectList::new(), i)),
        }
    }

    pub(super) fn dim_number(&self, line: &[u8], f: &Field) -> RecResult<u32> {
        let b = field_bytes(line, f);
        parse_u32(&b).ok_or_else(|| Problem {
            offset: f.start as usize,
            message: format!(
                "`{}` är inget dimensionsnummer",
                String::from_utf8_lossy(&b)
            ),
            code: Code::Syntax,
        })
    }
}
