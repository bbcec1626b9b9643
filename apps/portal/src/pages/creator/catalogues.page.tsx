import { useState } from 'react';
import { api } from '../../api/client';
import type { Catalogue, Page as ApiPage } from '../../api/types';
import { Async, Button, Empty, ErrorBox, Form, Page, Section, TextArea, TextField, useAction, useAsync } from '../../components/ui';
import { formatDate } from '../../format';
import { useI18n, useTitle } from '../../i18n/i18n';
import { Link, navigate } from '../../router';

export function CataloguesPage() {
  const { t, locale } = useI18n();
  useTitle(t('catalogues.title'));
  const list = useAsync(() => api<ApiPage<Catalogue>>('/v1/catalogues'), []);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useAction(async () => {
    const c = await api<Catalogue>('/v1/catalogues', { body: { name, description: description || undefined } });
    navigate(`/creator/catalogues/${c.id}`);
  });
  return (
    <Page title={t('catalogues.title')} intro={t('catalogues.lead')}>
      <Section title={t('catalogues.yours')}>
        <Async state={list}>
          {(d) =>
            d.data.length ? (
              <ul className="stack" style={{ listStyle: 'none', padding: 0 }}>
                {d.data.map((c) => (
                  <li key={c.id}>
                    <Link to={`/creator/catalogues/${c.id}`}>
                      <strong>{c.name}</strong>
                    </Link>{' '}
                    <span className="muted">
                      · {t('common.created')} {formatDate(c.createdAt, locale)}
                    </span>
                    {c.description && <div className="muted">{c.description}</div>}
                  </li>
                ))}
              </ul>
            ) : (
              <Empty>{t('catalogues.none')}</Empty>
            )
          }
        </Async>
      </Section>
      <Section title={t('catalogues.new')}>
        <Form onSubmit={create.run} label={t('catalogues.new')} className="form-narrow">
          <TextField label={t('common.name')} hint={t('catalogues.nameHint')} required value={name} onChange={(e) => setName(e.target.value)} />
          <TextArea label={t('common.description')} value={description} onChange={(e) => setDescription(e.target.value)} />
          <ErrorBox error={create.error} />
          <Button type="submit" busy={create.busy}>
            {t('catalogues.create')}
          </Button>
        </Form>
      </Section>
    </Page>
  );
}
