import { createApp, createTemplates, defineForm, fields, flash, Response } from 'palisade';

export const app = createApp();
const views = createTemplates({ dir: new URL('./templates', import.meta.url).pathname });

const noteForm = defineForm({
  title: fields.string({ maxLength: 100 }),
  body: fields.string({ widget: 'textarea', maxLength: 5000 }).optional(),
  priority: fields.choice(['low', 'normal', 'high']),
  due: fields.date().optional(),
  pinned: fields.boolean(),
});

const notes: { title: string; priority: string }[] = [];

app.get('/notes', () => views.render('notes.html', { notes }));

app.get('/notes/new', () => views.render('new.html', { form: noteForm.view(null, { initial: { priority: 'normal' } }) }));

app.post('/notes/new', async (req) => {
  const result = await noteForm.validate(req);
  if (!result.ok) {
    // Show the form again, with the messages and what the user typed.
    return Response.html(views.render('new.html', { form: noteForm.view(result) }), { status: 400 });
  }
  const { title, priority } = result.data; // title: string, priority: 'low' | 'normal' | 'high'
  notes.push({ title, priority });
  await flash(req, `Saved “${title}”.`, 'success');
  return Response.redirect('/notes', { status: 303 });
});
